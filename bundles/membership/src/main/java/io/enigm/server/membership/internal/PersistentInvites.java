package io.enigm.server.membership.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.Keyset;
import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.Invite;
import io.enigm.server.membership.InviteState;
import io.enigm.server.membership.Invites;
import io.enigm.server.membership.MintedInvite;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeysetCondition;
import io.enigm.server.support.ids.TimeOrderedIds;

/** Invites in the {@code invite} table, each code stored as its SHA-256 only. */
@Component(service = Invites.class, configurationPid = MembershipConfiguration.PID)
public class PersistentInvites implements Invites {

    private static final String COLUMNS = "id, environment_id, created_at, expires_at, used_at, revoked_at,"
            + " join_request_id";

    private final Database database;
    private final EnvironmentGate gate;
    private final Configured configuration;
    private final Clock clock;

    @Activate
    public PersistentInvites(@Reference Database database, @Reference EnvironmentService environments,
            MembershipConfiguration configuration) {
        this(database, environments, Configured.of(configuration), Clock.systemUTC());
    }

    PersistentInvites(Database database, EnvironmentService environments, Configured configuration, Clock clock) {
        this.database = database;
        this.gate = new EnvironmentGate(environments);
        this.configuration = configuration;
        this.clock = clock;
    }

    @Override
    public MintedInvite create(String environmentId, Duration ttl, AdminPrincipal issuer) {
        Duration lifetime = ttl == null ? configuration.inviteTtl() : ttl;
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(configuration.maxInviteTtl()) > 0) {
            throw new InvalidRequestException("ttlSeconds",
                    "must be between 1 and " + configuration.maxInviteTtl().toSeconds());
        }
        return database.inTransaction(handle -> {
            gate.active(environmentId);
            String code = Randoms.inviteCode();
            long now = clock.millis();
            Invite invite = new Invite(TimeOrderedIds.next(), environmentId, InviteState.ACTIVE, Instant.ofEpochMilli(now),
                    Instant.ofEpochMilli(now + lifetime.toMillis()), null);
            handle.createUpdate("INSERT INTO invite (id, environment_id, code_hash, created_at, expires_at, issued_by,"
                    + " issuer_role) VALUES (:id, :env, :hash, :createdAt, :expiresAt, :issuedBy, :issuerRole)")
                    .bind("id", invite.id()).bind("env", environmentId).bind("hash", InviteCodes.hash(code))
                    .bind("createdAt", now).bind("expiresAt", invite.expiresAt().toEpochMilli())
                    .bind("issuedBy", issuer.tokenId()).bind("issuerRole", issuer.role().name())
                    .execute();
            return new MintedInvite(invite, code);
        });
    }

    @Override
    public Page<Invite> list(String environmentId, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        gate.readable(environmentId);
        return database.read(handle -> {
            var query = handle.createQuery("SELECT " + COLUMNS + " FROM invite WHERE environment_id = :env"
                    + KeysetCondition.after(after, "") + " ORDER BY created_at, id LIMIT :limit")
                    .bind("env", environmentId).bind("limit", page.limit() + 1);
            KeysetCondition.bind(query, after);
            List<Invite> rows = query.map((rs, ctx) -> row(rs)).list();
            return Keyset.page(rows, page.limit(), invite -> new Keyset(invite.createdAt().toEpochMilli(), invite.id()));
        });
    }

    @Override
    public Invite revoke(String environmentId, String inviteId) {
        return database.inTransaction(handle -> {
            gate.active(environmentId);
            Invite invite = find(handle, environmentId, inviteId);
            if (invite.state() != InviteState.ACTIVE) {
                throw new ConflictException("the invite is " + invite.state() + ", not ACTIVE");
            }
            handle.createUpdate("UPDATE invite SET revoked_at = :now WHERE id = :id")
                    .bind("now", clock.millis()).bind("id", inviteId).execute();
            return find(handle, environmentId, inviteId);
        });
    }

    private Invite find(org.jdbi.v3.core.Handle handle, String environmentId, String inviteId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM invite WHERE id = :id AND environment_id = :env")
                .bind("id", inviteId).bind("env", environmentId)
                .map((rs, ctx) -> row(rs)).findOne()
                .orElseThrow(() -> new NotFoundException("invite"));
    }

    private Invite row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Instant expiresAt = Rows.instant(rs, "expires_at");
        InviteState state;
        if (rs.getObject("used_at") != null) {
            state = InviteState.USED;
        } else if (rs.getObject("revoked_at") != null) {
            state = InviteState.REVOKED;
        } else if (!clock.instant().isBefore(expiresAt)) {
            state = InviteState.EXPIRED;
        } else {
            state = InviteState.ACTIVE;
        }
        return new Invite(rs.getString("id"), rs.getString("environment_id"), state, Rows.instant(rs, "created_at"),
                expiresAt, rs.getString("join_request_id"));
    }
}
