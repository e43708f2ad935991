package io.enigm.server.membership.internal;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.internal.TestEnvironments;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.support.ids.TimeOrderedIds;

/**
 * A real installation for membership tests: the SQLite store, the hash-chained audit log, the
 * environment service and HMAC pseudonyms as the environment bundle's test fixture builds them,
 * plus this bundle's components, all on a clock the test moves.
 */
final class Installation implements AutoCloseable {

    static final AdminPrincipal ADMIN = new AdminPrincipal("token-membership-admin", AdminRole.MEMBERSHIP_ADMIN,
            null, "test");

    /** Refusal events recorded one by one per second, per environment and kind. */
    static final int REFUSAL_EVENTS_PER_SECOND = 20;
    static final int MAX_LIVE_NONCES = 1_000;
    /** A device or member refused this often within the window is a REPEATED_FAILURES event. */
    static final int REPEATED_FAILURES = 5;
    static final Duration REPEATED_FAILURES_WINDOW = Duration.ofMinutes(10);
    /** Short, so that a test can delete an environment through its real lifecycle. */
    static final Duration CLOSING_GRACE = Duration.ofMillis(20);
    static final String PIN = "246810";

    final DataHome home;
    final Database database;
    final AuditLog audit;
    final SecurityEventRecorder securityEvents;
    final SecurityEventFeed securityEventFeed;
    final Pseudonyms pseudonyms;
    final EnvironmentService environments;
    final LegalHolds holds;
    final CriticalOperationPin pin;
    final TestClock clock = new TestClock();
    final PersistentJoinRequests joinRequests;
    final PersistentInvites invites;
    final PersistentMembers members;
    final PersistentDevices devices;
    final PersistentSessions sessions;
    final PolicyDouble policy = new PolicyDouble();
    final SignedSessions signedSessions;
    final SessionNonces nonces = new SessionNonces(MAX_LIVE_NONCES, clock);

    Installation(Path directory, int maxPending, Duration answerFloor) {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        TestEnvironments installed = TestEnvironments.install(home, database, clock, CLOSING_GRACE);
        audit = installed.audit();
        securityEvents = installed.securityEvents();
        pseudonyms = installed.pseudonyms();
        pin = installed.pin();
        environments = installed.environments();
        holds = installed.holds();
        securityEventFeed = TestAuditLogs.securityEventFeed(database, environments);
        Configured configured = new Configured(Duration.ofHours(72), maxPending, answerFloor, Duration.ofHours(168),
                Duration.ofHours(720));
        joinRequests = new PersistentJoinRequests(database, environments, pseudonyms, audit, securityEvents,
                configured, clock);
        invites = new PersistentInvites(database, environments, configured, clock);
        members = new PersistentMembers(database, environments, securityEvents, clock);
        devices = new PersistentDevices(database, nonces, environments, pseudonyms, audit, policy, securityEvents,
                clock);
        sessions = new PersistentSessions(database, nonces, environments, clock);
        signedSessions = new SignedSessions(database, nonces, policy, audit, new SessionRefusals.Watch(securityEvents,
                environments, REPEATED_FAILURES, REPEATED_FAILURES_WINDOW), Duration.ofMinutes(15), clock,
                REFUSAL_EVENTS_PER_SECOND);
    }

    Installation(Path directory) {
        this(directory, 500, Duration.ZERO);
    }

    /** Approves a request as an administrator who compared its device fingerprint. */
    JoinRequest approve(String environmentId, String requestId) {
        return joinRequests.approve(environmentId, requestId,
                joinRequests.get(environmentId, requestId).deviceFingerprint());
    }

    /** Closes and deletes the environment as its owner would, with the PIN, after the grace period. */
    void delete(Environment environment) {
        pin.set(PIN, null);
        environments.apply(environment.id(), LifecycleAction.CLOSE, PIN);
        clock.advance(CLOSING_GRACE);
        environments.apply(environment.id(), LifecycleAction.DELETE, PIN);
    }

    /** Closes the database, whose pooled connections a PostgreSQL test server could otherwise run out of. */
    @Override
    public void close() {
        try {
            ((AutoCloseable) database).close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Environment environment(String name) {
        return environments.create(new NewEnvironment(name, null));
    }

    long count(String table) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    /** Row counts of every membership table, to show that refused input changed nothing. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new HashMap<>();
        for (String table : new String[] {"member", "device", "join_request", "invite", "session",
                "audit_record", "security_event"}) {
            counts.put(table, count(table));
        }
        counts.put("nonces", (long) nonces.spent());
        return counts;
    }

    /** A session as the policy issue's session flow will write it. */
    String openSession(String environmentId, String memberId, String deviceId) {
        String id = TimeOrderedIds.next();
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO session (id, environment_id, member_id,"
                + " device_id, token_hash, created_at, expires_at) VALUES (:id, :env, :member, :device, :hash, :now,"
                + " :expires)")
                .bind("id", id).bind("env", environmentId).bind("member", memberId).bind("device", deviceId)
                .bind("hash", Randoms.token()).bind("now", clock.millis())
                .bind("expires", clock.millis() + Duration.ofMinutes(10).toMillis()).execute());
        return id;
    }

    /** A device with a real Ed25519 key pair. */
    record DeviceKey(KeyPair pair) {

        static DeviceKey generate() {
            try {
                return new DeviceKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String publicKey() {
            return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        }

        String sign(String message) {
            return sign(pair.getPrivate(), message);
        }

        static String sign(PrivateKey key, String message) {
            try {
                Signature signer = Signature.getInstance("Ed25519");
                signer.initSign(key);
                signer.update(message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return Base64.getEncoder().encodeToString(signer.sign());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The X-Enigm-Signature header for {@code method} on a join request at {@code now}. */
        String joinHeader(String requestId, String method, Instant now) {
            long seconds = now.getEpochSecond();
            return seconds + "." + sign("enigm-join-v1\n" + requestId + "\n" + method + "\n" + seconds);
        }
    }
}
