package io.enigm.server.environment.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.ConfirmationFailedException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.enigm.server.support.secret.SecretHash;

/**
 * The PIN in the one-row {@code critical_operation_pin} table as a PBKDF2-HMAC-SHA256 hash with a
 * random salt.
 *
 * <p>Checks run in write transactions, which the store runs one after another, and the count of
 * consecutive failures is kept here in memory: parallel guesses, even in one commit batch, each
 * see the one before them. A wrong PIN makes the caller's work roll back, and with it anything it
 * wrote; so the failure count and its audit record are written in a transaction of their own,
 * right after the caller's transaction ends and before the caller is answered, and read back on
 * the next start.
 */
@Component(service = CriticalOperationPin.class, configurationPid = PinConfiguration.PID)
@Designate(ocd = PinConfiguration.class)
public class HashedCriticalOperationPin implements CriticalOperationPin {

    static final int DEFAULT_ITERATIONS = 800_000;
    static final int MIN_ITERATIONS = 100_000;
    static final int FAILURES_BEFORE_LOCKOUT = 5;
    static final String VERIFY_ACTION = "pin.verify";
    static final String SET_ACTION = "pin.set";
    static final String AUDIT_CATEGORY = "PIN";

    private static final Logger LOG = LoggerFactory.getLogger(HashedCriticalOperationPin.class);
    private static final SecureRandom SALTS = new SecureRandom();
    private static final Pattern SIX_DIGITS = Pattern.compile("[0-9]{6}");
    private static final int MAX_PREPARED = 16;
    private static final Duration PREPARED_FOR = Duration.ofSeconds(10);

    /** What an operator tunes, as plain values. */
    record Settings(int iterations, Duration lockout, Duration maxLockout) {

        static Settings of(PinConfiguration configuration) {
            if (configuration.iterations() < MIN_ITERATIONS) {
                throw new IllegalArgumentException("iterations must be at least " + MIN_ITERATIONS);
            }
            if (configuration.lockoutSeconds() < 1
                    || configuration.maxLockoutSeconds() < configuration.lockoutSeconds()) {
                throw new IllegalArgumentException("lockouts must be positive, the longest at least the first");
            }
            return new Settings(configuration.iterations(), Duration.ofSeconds(configuration.lockoutSeconds()),
                    Duration.ofSeconds(configuration.maxLockoutSeconds()));
        }
    }

    private final Database database;
    private final AuditLog audit;
    private final SecurityEventRecorder events;
    private final Settings settings;
    private final Clock clock;
    private volatile Lockout lockout;
    /**
     * Wrong PINs this node refused whose count is not stored yet (it is, right after their
     * transaction ends); touched on the writer thread only.
     */
    private int uncounted;
    /** Candidates derived ahead of their check, by salt and candidate; few, short-lived, used once. */
    private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();

    private record Prepared(byte[] derived, long madeAt) {
    }

    @Activate
    public HashedCriticalOperationPin(@Reference Database database, @Reference AuditLog audit,
            @Reference SecurityEventRecorder events, PinConfiguration configuration) {
        this(database, audit, events, Settings.of(configuration), Clock.systemUTC());
        LOG.info("Critical-operation PIN: PBKDF2-HMAC-SHA256 with {} iterations; lockout after {} wrong PINs"
                + " from {} s doubling up to {} s", settings.iterations(), FAILURES_BEFORE_LOCKOUT,
                settings.lockout().toSeconds(), settings.maxLockout().toSeconds());
    }

    HashedCriticalOperationPin(Database database, AuditLog audit, SecurityEventRecorder events, Settings settings,
            Clock clock) {
        this.database = database;
        this.audit = audit;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.lockout = database.read(HashedCriticalOperationPin::storedLockout);
    }

    private static Lockout storedLockout(Handle handle) {
        return handle.createQuery("SELECT failed_attempts, locked_until FROM critical_operation_pin WHERE id = 1")
                .map((rs, ctx) -> new Lockout(rs.getInt("failed_attempts"), rs.getLong("locked_until")))
                .one();
    }

    /** Consecutive wrong PINs, and until when (epoch millis, 0 for not) attempts are refused. */
    private record Lockout(int failures, long lockedUntil) {
        static final Lockout NONE = new Lockout(0, 0);
    }

    @Override
    public void set(String pin, String currentPin) {
        prepareSet(pin, currentPin).apply();
    }

    @Override
    public PinChange prepareSet(String pin, String currentPin) {
        if (pin == null || !SIX_DIGITS.matcher(pin).matches()) {
            throw new InvalidRequestException("pin", "must be exactly 6 digits");
        }
        SecretHash hashed = SecretHash.of(pin.toCharArray(), SALTS, settings.iterations());
        if (currentPin != null) {
            prepare(currentPin);
        }
        return () -> store(hashed, currentPin);
    }

    private void store(SecretHash hashed, String currentPin) {
        database.inTransaction(handle -> {
            Stored stored = load(handle);
            if (stored.isSet()) {
                if (currentPin == null) {
                    throw new InvalidRequestException("currentPin", "is required to change the PIN");
                }
                Outcome outcome = check(handle, stored, currentPin, SET_ACTION);
                if (outcome != Outcome.CONFIRMED) {
                    return outcome;
                }
            }
            handle.createUpdate("UPDATE critical_operation_pin SET algorithm = :algorithm, iterations = :iterations,"
                    + " salt = :salt, hash = :hash, changed_at = :now, failed_attempts = 0, locked_until = NULL"
                    + " WHERE id = 1")
                    .bind("algorithm", SecretHash.ALGORITHM)
                    .bind("iterations", hashed.iterations())
                    .bind("salt", hashed.salt())
                    .bind("hash", hashed.hash())
                    .bind("now", clock.millis())
                    .execute();
            lockout = Lockout.NONE;
            return Outcome.CONFIRMED;
        }).raise("the current PIN is wrong");
    }

    @Override
    public void prepare(String pin) {
        if (pin == null || !SIX_DIGITS.matcher(pin).matches() || lockout.lockedUntil() > clock.millis()) {
            return;
        }
        Stored stored = database.read(HashedCriticalOperationPin::load);
        if (!stored.isSet()) {
            return;
        }
        if (prepared.size() >= MAX_PREPARED) {
            prepared.clear();
        }
        prepared.put(preparedKey(stored, pin), new Prepared(stored.hash().derive(pin.toCharArray()), clock.millis()));
    }

    private static String preparedKey(Stored stored, String pin) {
        return HexFormat.of().formatHex(stored.hash().salt()) + ":" + stored.hash().iterations() + ":" + pin;
    }

    /** The candidate's derivation: prepared a moment ago off the writer thread, else made now. */
    private byte[] derivation(Stored stored, String candidate) {
        Prepared ready = prepared.remove(preparedKey(stored, candidate));
        if (ready != null && clock.millis() - ready.madeAt() <= PREPARED_FOR.toMillis()) {
            return ready.derived();
        }
        return stored.hash().derive(candidate.toCharArray());
    }

    @Override
    public void verify(String pin) {
        database.inTransaction(handle -> check(handle, load(handle), pin, VERIFY_ACTION))
                .raise("the critical-operation PIN is wrong");
    }

    /** How a check ended; every outcome but {@link #CONFIRMED} has been audited as a failure. */
    private sealed interface Outcome permits Confirmed, Refused, Locked {
        Outcome CONFIRMED = new Confirmed();

        void raise(String wrongPin);
    }

    private record Confirmed() implements Outcome {
        @Override
        public void raise(String wrongPin) {
            // confirmed: nothing to refuse
        }
    }

    /** Refused with {@code message}, or with the caller's words for a wrong PIN when it is {@code null}. */
    private record Refused(String message) implements Outcome {
        @Override
        public void raise(String wrongPin) {
            throw new ConfirmationFailedException(message != null ? message : wrongPin);
        }
    }

    private record Locked(Duration retryAfter) implements Outcome {
        @Override
        public void raise(String wrongPin) {
            throw new RateLimitedException("too many wrong PINs; try again later", retryAfter);
        }
    }

    private Outcome check(Handle handle, Stored stored, String candidate, String action) {
        long now = clock.millis();
        if (database.sharedByNodes() && uncounted == 0) {
            // Nodes sharing the database count wrong PINs together: another node's may be newer
            // than ours, once ours are all stored.
            lockout = storedLockout(handle);
        }
        Lockout current = lockout;
        if (current.lockedUntil() > now) {
            afterTransaction(handle, h -> recordFailure(action));
            return new Locked(Duration.ofMillis(current.lockedUntil() - now));
        }
        if (!stored.isSet()) {
            afterTransaction(handle, h -> recordFailure(action));
            return new Refused("no critical-operation PIN is set; the installation owner must set one first");
        }
        if (candidate == null || candidate.isEmpty()) {
            // A forgotten confirmation is no guess at the PIN: audited, not counted.
            afterTransaction(handle, h -> recordFailure(action));
            return new Refused("this action needs the critical-operation PIN");
        }
        if (stored.hash().matchesDerivation(derivation(stored, candidate))) {
            if (current.failures() > 0) {
                lockout = Lockout.NONE;
                handle.createUpdate("UPDATE critical_operation_pin SET failed_attempts = 0, locked_until = NULL"
                        + " WHERE id = 1").execute();
            }
            return Outcome.CONFIRMED;
        }
        int failures = current.failures() + 1;
        long lockedUntil = failures >= FAILURES_BEFORE_LOCKOUT ? now + lockout(failures).toMillis() : 0;
        lockout = new Lockout(failures, lockedUntil);
        uncounted++;
        afterTransaction(handle, h -> {
            uncounted--;
            // Counted again in this transaction on a shared database: another node's wrong PIN may
            // have been counted since this one was checked.
            int counted = database.sharedByNodes() ? storedLockout(h).failures() + 1 : failures;
            long storedLockedUntil = counted >= FAILURES_BEFORE_LOCKOUT ? now + lockout(counted).toMillis() : 0;
            h.createUpdate("UPDATE critical_operation_pin SET failed_attempts = :failures,"
                    + " locked_until = :lockedUntil WHERE id = 1")
                    .bind("failures", counted)
                    .bind("lockedUntil", storedLockedUntil == 0 ? null : storedLockedUntil)
                    .execute();
            recordFailure(action);
            if (storedLockedUntil != 0) {
                // the installation's own event: the PIN belongs to no environment
                events.record(null, SecurityEventCategory.PIN_LOCKOUT, null);
            }
        });
        if (lockedUntil != 0) {
            LOG.warn("Critical-operation PIN locked for {} s after {} consecutive wrong PINs",
                    lockout(failures).toSeconds(), failures);
        }
        return new Refused(null);
    }

    /** The first lockout, doubled for each wrong PIN beyond the fifth, up to the longest. */
    Duration lockout(int failures) {
        int doublings = Math.min(failures - FAILURES_BEFORE_LOCKOUT, 30);
        Duration grown = settings.lockout().multipliedBy(1L << doublings);
        return grown.compareTo(settings.maxLockout()) > 0 ? settings.maxLockout() : grown;
    }

    private void recordFailure(String action) {
        audit.append(new AuditEntry(null, null, null, action, null, AuditOutcome.DENIED, AUDIT_CATEGORY));
    }

    /**
     * Writes in a transaction of its own once the caller's has ended, whether the caller's work was
     * kept or rolled back. The store runs the callback on its writer connection right after the
     * commit and before it answers the caller, so the record is durable before the refusal is
     * seen; the audit append joins this transaction. A failure here must not fail the commit that
     * has already happened, so it is logged instead.
     */
    private static void afterTransaction(Handle handle, Consumer<Handle> write) {
        handle.afterCommit(() -> {
            try {
                handle.useTransaction(write::accept);
            } catch (RuntimeException e) {
                LOG.error("Could not record a failed PIN attempt: {}", e.getClass().getName());
            }
        });
    }

    private static Stored load(Handle handle) {
        return handle.createQuery("SELECT iterations, salt, hash FROM critical_operation_pin WHERE id = 1")
                .map((rs, ctx) -> {
                    byte[] hash = rs.getBytes("hash");
                    return new Stored(hash == null ? null : new SecretHash(rs.getInt("iterations"), rs.getBytes("salt"),
                            hash));
                })
                .one();
    }

    /** The stored hash; {@code null} until a PIN is set. */
    private record Stored(SecretHash hash) {

        boolean isSet() {
            return hash != null;
        }
    }
}
