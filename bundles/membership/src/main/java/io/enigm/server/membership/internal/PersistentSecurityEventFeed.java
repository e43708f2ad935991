package io.enigm.server.membership.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.Keyset;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeysetCondition;

/** Reads what {@link SecurityEvents} appended, by keyset on (created, id) within one environment. */
@Component(service = SecurityEventFeed.class)
public class PersistentSecurityEventFeed implements SecurityEventFeed {

    private final Database database;
    private final EnvironmentGate gate;

    @Activate
    public PersistentSecurityEventFeed(@Reference Database database, @Reference EnvironmentService environments) {
        this.database = database;
        this.gate = new EnvironmentGate(environments);
    }

    @Override
    public Page<SecurityEvent> list(String environmentId, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        gate.readable(environmentId);
        List<SecurityEvent> rows = database.read(handle -> {
            var query = handle.createQuery("SELECT id, environment_id, category, risk, subject_handle, created_at,"
                    + " occurrences FROM security_event WHERE environment_id = :env" + KeysetCondition.after(after, "")
                    + " ORDER BY created_at, id LIMIT :limit")
                    .bind("env", environmentId).bind("limit", page.limit() + 1);
            KeysetCondition.bind(query, after);
            return query.map((rs, ctx) -> new SecurityEvent(rs.getString("id"), rs.getString("environment_id"),
                    rs.getString("category"), rs.getString("risk"), rs.getString("subject_handle"),
                    Rows.instant(rs, "created_at"), rs.getLong("occurrences"))).list();
        });
        return Keyset.page(rows, page.limit(), event -> new Keyset(event.createdAt().toEpochMilli(), event.id()));
    }
}
