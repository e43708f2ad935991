package io.enigm.server.membership.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.Keyset;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MemberChanges;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.Members;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeyedRead;
import io.enigm.server.store.KeysetCondition;

/** Members in the {@code member} table, listed by keyset on (created, id). */
@Component(service = Members.class)
public class PersistentMembers implements Members {

    /** The hottest read of this table, on every GET of one member. */
    private static final KeyedRead<Member> BY_ID = new KeyedRead<>(
            "SELECT " + Rows.MEMBER_COLUMNS + " FROM member WHERE id = ? AND environment_id = ?", Rows::member);

    /** Every allowed move of a member's state; anything else is a conflict. */
    static final Map<MemberState, Set<MemberState>> TRANSITIONS = Map.of(
            MemberState.ACTIVE, Set.of(MemberState.SUSPENDED, MemberState.REMOVED),
            MemberState.SUSPENDED, Set.of(MemberState.ACTIVE, MemberState.REMOVED),
            MemberState.REMOVED, Set.of());

    private static final Pattern ROLE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    private final Database database;
    private final EnvironmentGate gate;
    private final SecurityEventRecorder events;
    private final Clock clock;

    @Activate
    public PersistentMembers(@Reference Database database, @Reference EnvironmentService environments,
            @Reference SecurityEventRecorder events) {
        this(database, environments, events, Clock.systemUTC());
    }

    PersistentMembers(Database database, EnvironmentService environments, SecurityEventRecorder events, Clock clock) {
        this.database = database;
        this.gate = new EnvironmentGate(environments);
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Page<Member> list(String environmentId, MemberState state, String role, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        if (role != null) {
            requireRole("role", role);
        }
        gate.readable(environmentId);
        return database.read(handle -> {
            var query = handle.createQuery("SELECT " + Rows.MEMBER_COLUMNS + " FROM member WHERE environment_id = :env"
                    + (state == null ? "" : " AND state = :state") + (role == null ? "" : " AND role = :role")
                    + KeysetCondition.after(after, "") + " ORDER BY created_at, id LIMIT :limit")
                    .bind("env", environmentId).bind("limit", page.limit() + 1);
            if (state != null) {
                query.bind("state", state.name());
            }
            if (role != null) {
                query.bind("role", role);
            }
            KeysetCondition.bind(query, after);
            List<Member> rows = query.map((rs, ctx) -> Rows.member(rs)).list();
            return Keyset.page(rows, page.limit(), member -> new Keyset(member.createdAt().toEpochMilli(), member.id()));
        });
    }

    @Override
    public Member get(String environmentId, String memberId) {
        gate.readable(environmentId);
        return database.read(handle -> {
            return find(handle, environmentId, memberId);
        });
    }

    @Override
    public Member update(String environmentId, String memberId, MemberChanges changes) {
        if (changes.role() == null && changes.state() == null) {
            throw new InvalidRequestException("role", "a role or a state is required");
        }
        if (changes.role() != null) {
            requireRole("role", changes.role());
        }
        if (changes.state() == MemberState.REMOVED) {
            throw new InvalidRequestException("state", "must be ACTIVE or SUSPENDED; removal is a DELETE");
        }
        return database.inTransaction(handle -> {
            gate.active(environmentId);
            Member member = find(handle, environmentId, memberId);
            if (member.state() == MemberState.REMOVED) {
                throw new ConflictException("the member is REMOVED");
            }
            long now = clock.millis();
            if (changes.state() != null) {
                move(handle, events, member, changes.state(), now);
            }
            if (changes.role() != null) {
                handle.createUpdate("UPDATE member SET role = :role, updated_at = :now WHERE id = :id")
                        .bind("role", changes.role()).bind("now", now).bind("id", memberId).execute();
            }
            return find(handle, environmentId, memberId);
        });
    }

    @Override
    public Member remove(String environmentId, String memberId) {
        return database.inTransaction(handle -> {
            gate.active(environmentId);
            move(handle, events, find(handle, environmentId, memberId), MemberState.REMOVED, clock.millis());
            return find(handle, environmentId, memberId);
        });
    }

    /** Changes the state; leaving ACTIVE closes the sessions, removal also revokes the devices. */
    static void move(Handle handle, SecurityEventRecorder events, Member member, MemberState target, long now) {
        if (!TRANSITIONS.get(member.state()).contains(target)) {
            throw new ConflictException("the member is " + member.state() + " and cannot become " + target);
        }
        handle.createUpdate("UPDATE member SET state = :state, updated_at = :now WHERE id = :id")
                .bind("state", target.name()).bind("now", now).bind("id", member.id()).execute();
        if (target != MemberState.ACTIVE) {
            Revocations.closeSessionsOfMember(handle, member.id(), now);
        }
        if (target == MemberState.REMOVED) {
            Revocations.revokeDevicesOfMember(handle, events, member.environmentId(), member.id(), now);
        }
    }

    private static void requireRole(String field, String role) {
        if (!ROLE.matcher(role).matches()) {
            throw new InvalidRequestException(field, "must be upper-case letters, digits and '_', at most 32");
        }
    }

    static Member find(Handle handle, String environmentId, String memberId) {
        return BY_ID.find(handle, memberId, environmentId).orElseThrow(() -> new NotFoundException("member"));
    }
}
