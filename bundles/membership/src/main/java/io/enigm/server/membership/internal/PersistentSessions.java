package io.enigm.server.membership.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.Keyset;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.Session;
import io.enigm.server.membership.SessionChallenge;
import io.enigm.server.membership.Sessions;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeyedRead;
import io.enigm.server.store.KeysetCondition;

/** Sessions in the {@code session} table; the nonces that open them are {@link SessionNonces}. */
@Component(service = Sessions.class)
public class PersistentSessions implements Sessions {

    /** The hottest read of this table, on every GET of one session. */
    private static final KeyedRead<Session> BY_ID = new KeyedRead<>(
            "SELECT " + Rows.SESSION_COLUMNS + " FROM session WHERE id = ? AND environment_id = ?", Rows::session);
    /** A device that may still ask for a challenge, on every session's first request. */
    private static final KeyedRead<Boolean> USABLE_DEVICE = new KeyedRead<>("SELECT 1 FROM device WHERE id = ?"
            + " AND environment_id = ? AND trust NOT IN ('REVOKED', 'REPLACED', 'RETIRED')", row -> true);

    private final Database database;
    private final SessionNonces nonces;
    private final EnvironmentGate gate;
    private final Clock clock;

    @Activate
    public PersistentSessions(@Reference Database database, @Reference SessionNonces nonces,
            @Reference EnvironmentService environments) {
        this(database, nonces, environments, Clock.systemUTC());
    }

    PersistentSessions(Database database, SessionNonces nonces, EnvironmentService environments, Clock clock) {
        this.database = database;
        this.nonces = nonces;
        this.gate = new EnvironmentGate(environments);
        this.clock = clock;
    }

    @Override
    public Page<Session> list(String environmentId, String memberId, String deviceId, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        gate.readable(environmentId);
        return database.read(handle -> {
            var query = handle.createQuery("SELECT " + Rows.SESSION_COLUMNS + " FROM session WHERE environment_id = :env"
                    + " AND closed_at IS NULL AND expires_at > :now"
                    + (memberId == null ? "" : " AND member_id = :member")
                    + (deviceId == null ? "" : " AND device_id = :device")
                    + KeysetCondition.after(after, "") + " ORDER BY created_at, id LIMIT :limit")
                    .bind("env", environmentId).bind("now", clock.millis()).bind("limit", page.limit() + 1);
            if (memberId != null) {
                query.bind("member", memberId);
            }
            if (deviceId != null) {
                query.bind("device", deviceId);
            }
            KeysetCondition.bind(query, after);
            List<Session> rows = query.map((rs, ctx) -> Rows.session(rs)).list();
            return Keyset.page(rows, page.limit(), session -> new Keyset(session.createdAt().toEpochMilli(), session.id()));
        });
    }

    @Override
    public Session close(String environmentId, String sessionId) {
        return database.inTransaction(handle -> {
            gate.readable(environmentId);
            Session session = find(handle, environmentId, sessionId);
            if (session.closedAt() != null || !clock.instant().isBefore(session.expiresAt())) {
                throw new ConflictException("the session has ended already");
            }
            handle.createUpdate("UPDATE session SET closed_at = :now WHERE id = :id")
                    .bind("now", clock.millis()).bind("id", sessionId).execute();
            return find(handle, environmentId, sessionId);
        });
    }

    /** The caller has resolved the device in its environment; device ids are unique installation-wide. */
    @Override
    public int closeAllOfDevice(String environmentId, String deviceId) {
        return database.inTransaction(
                handle -> Revocations.closeSessionsOfDevice(handle, environmentId, deviceId, clock.millis()));
    }

    /**
     * A public route: an unknown environment, an unknown device and another environment's device get
     * one answer, and each costs the same read, so neither the answer nor its time tells which ids exist.
     */
    @Override
    public SessionChallenge challenge(String environmentId, String deviceId) {
        String device = Text.required("deviceId", deviceId, 64);
        boolean readable;
        try {
            gate.readable(environmentId);
            readable = true;
        } catch (NotFoundException unknownEnvironment) {
            readable = false;
        }
        boolean usable = database.read(handle -> USABLE_DEVICE.find(handle, device, environmentId).isPresent());
        if (!readable || !usable) {
            throw new NotFoundException("device");
        }
        return nonces.issue(environmentId, device);
    }

    private static Session find(Handle handle, String environmentId, String sessionId) {
        return BY_ID.find(handle, sessionId, environmentId).orElseThrow(() -> new NotFoundException("session"));
    }
}
