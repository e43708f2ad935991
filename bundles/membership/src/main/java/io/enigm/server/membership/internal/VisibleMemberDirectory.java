package io.enigm.server.membership.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.Keyset;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.VisibilityRules;
import io.enigm.server.membership.DirectoryEntry;
import io.enigm.server.membership.MemberDirectory;
import io.enigm.server.membership.SessionPrincipal;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeysetCondition;

/**
 * The member directory under the environment's visibility rules: closed (403) unless
 * {@link VisibilityRules#memberDirectory()}; member ids only unless {@link VisibilityRules#displayNames()}.
 * A closed directory refuses rather than answering an empty list, so a device can tell "not
 * allowed" from "alone".
 */
@Component(service = MemberDirectory.class)
public class VisibleMemberDirectory implements MemberDirectory {

    private final Database database;
    private final EnvironmentGate gate;

    @Activate
    public VisibleMemberDirectory(@Reference Database database, @Reference EnvironmentService environments) {
        this.database = database;
        this.gate = new EnvironmentGate(environments);
    }

    @Override
    public Page<DirectoryEntry> list(SessionPrincipal caller, String environmentId, PageRequest page) {
        if (!caller.environmentId().equals(environmentId)) {
            throw new NotFoundException("environment");
        }
        Keyset after = Keyset.decode(page.cursor());
        Environment environment = gate.readable(environmentId);
        VisibilityRules rules = environment.visibility();
        if (!rules.memberDirectory()) {
            throw new ForbiddenException("the environment's visibility rules keep its member directory closed");
        }
        record Listed(String id, long createdAt, String displayName) {
        }
        List<Listed> rows = database.read(handle -> {
            var query = handle.createQuery("SELECT id, created_at, display_name FROM member WHERE environment_id = :env"
                    + " AND state = 'ACTIVE' AND id <> :caller" + KeysetCondition.after(after, "")
                    + " ORDER BY created_at, id LIMIT :limit")
                    .bind("env", environmentId).bind("caller", caller.memberId()).bind("limit", page.limit() + 1);
            KeysetCondition.bind(query, after);
            return query.map((rs, ctx) -> new Listed(rs.getString("id"), rs.getLong("created_at"),
                    rs.getString("display_name"))).list();
        });
        Page<Listed> listed = Keyset.page(rows, page.limit(), row -> new Keyset(row.createdAt(), row.id()));
        return new Page<>(listed.items().stream()
                .map(row -> new DirectoryEntry(row.id(), rules.displayNames() ? row.displayName() : null))
                .toList(), listed.next());
    }
}
