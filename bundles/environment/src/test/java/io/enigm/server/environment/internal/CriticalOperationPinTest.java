package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.common.ConfirmationFailedException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.PageRequest;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

class CriticalOperationPinTest {

    @TempDir
    Path directory;

    private DataHome home;
    private Database database;
    private AuditLog audit;
    private TestClock clock;
    private HashedCriticalOperationPin pin;

    @BeforeEach
    void open() {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        audit = TestAuditLogs.open(home, database);
        clock = new TestClock();
        pin = Fixtures.pin(home, database, clock);
    }

    @Test
    void aPinIsExactlySixAsciiDigits() {
        for (String bad : Arrays.asList(null, "", "12345", "1234567", "12345a", " 123456", "123456\n",
                "\u0661\u0662\u0663\u0664\u0665\u0666", "12 456")) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> pin.set(bad, null),
                    String.valueOf(bad));
            assertEquals("pin", refused.field());
        }
        assertNullHash();
        pin.set("012345", null);
        pin.verify("012345");
    }

    @Test
    void theHashIsSaltedAndSlowAndNeverThePin() {
        pin.set("424242", null);
        Map<String, Object> first = row();
        pin.set("424242", "424242");
        Map<String, Object> second = row();
        assertEquals("PBKDF2WithHmacSHA256", first.get("algorithm"));
        assertEquals(Fixtures.TEST_ITERATIONS, ((Number) first.get("iterations")).intValue());
        assertEquals(16, ((byte[]) first.get("salt")).length);
        assertEquals(32, ((byte[]) first.get("hash")).length);
        // The same PIN set twice: a fresh salt, so an unrelated hash.
        assertFalse(Arrays.equals((byte[]) first.get("salt"), (byte[]) second.get("salt")));
        assertFalse(Arrays.equals((byte[]) first.get("hash"), (byte[]) second.get("hash")));
        for (Object value : second.values()) {
            if (value instanceof byte[] bytes) {
                assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("424242"));
            } else if (value != null) {
                assertFalse(value.toString().contains("424242"));
            }
        }
    }

    /**
     * A PIN row exactly as the server stored it before PBKDF2 moved to the shared support code (the
     * hash of 271828 under this salt and count, made by that code): it must still verify, whatever
     * count new PINs get.
     */
    @Test
    void aPinStoredBeforeStillVerifies() {
        database.inTransaction(h -> h.createUpdate("UPDATE critical_operation_pin SET algorithm = 'PBKDF2WithHmacSHA256',"
                + " iterations = 100000, salt = :salt, hash = :hash WHERE id = 1")
                .bind("salt", HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f"))
                .bind("hash", HexFormat.of().parseHex("31d075763344d674126e8e58cc6085b4c18034276c3df83f94f8732f23206a57"))
                .execute());
        HashedCriticalOperationPin restarted = Fixtures.pin(home, database, clock);
        restarted.verify("271828");
        assertThrows(ConfirmationFailedException.class, () -> restarted.verify("271829"));
        restarted.set("314159", "271828");
        restarted.verify("314159");
    }

    @Test
    void theProductionDefaultIsSlowerThanTheFloorOperatorsMayConfigure() {
        assertTrue(HashedCriticalOperationPin.DEFAULT_ITERATIONS >= HashedCriticalOperationPin.MIN_ITERATIONS);
        PinConfiguration tooFast = configuration(HashedCriticalOperationPin.MIN_ITERATIONS - 1, 30, 3600);
        assertThrows(IllegalArgumentException.class, () -> HashedCriticalOperationPin.Settings.of(tooFast));
        assertThrows(IllegalArgumentException.class,
                () -> HashedCriticalOperationPin.Settings.of(configuration(HashedCriticalOperationPin.MIN_ITERATIONS, 60, 30)));
        assertEquals(HashedCriticalOperationPin.MIN_ITERATIONS,
                HashedCriticalOperationPin.Settings.of(configuration(HashedCriticalOperationPin.MIN_ITERATIONS, 30, 60))
                        .iterations());
    }

    @Test
    void wrongMissingAndUnsetPinsAreRefusedAndEachFailureIsAudited() {
        assertThrows(ForbiddenException.class, () -> pin.verify("123456"), "no PIN set yet");
        pin.set("123456", null);
        assertThrows(ForbiddenException.class, () -> pin.verify("654321"));
        assertThrows(ForbiddenException.class, () -> pin.verify(null));
        assertThrows(ForbiddenException.class, () -> pin.verify("not a pin"));
        List<AuditRecord> failures = pinFailures();
        assertEquals(4, failures.size());
        for (AuditRecord failure : failures) {
            assertEquals(AuditOutcome.DENIED, failure.entry().outcome());
            assertEquals("PIN", failure.entry().category());
            assertEquals("pin.verify", failure.entry().action());
        }
        // A missing PIN is no guess: two guesses counted, not three.
        assertEquals(2, ((Number) row().get("failed_attempts")).intValue());
        pin.verify("123456");
        assertEquals(0, ((Number) row().get("failed_attempts")).intValue());
    }

    @Test
    void aPreparedCandidateIsCheckedLikeAnyOtherAndOnlyOnce() {
        pin.prepare("123456");
        assertEquals(0, pinFailures().size(), "preparing refuses nothing and counts nothing");
        pin.set("123456", null);
        pin.prepare("654321");
        pin.prepare("123456");
        pin.prepare("not a pin");
        pin.prepare(null);
        assertEquals(0, pinFailures().size());
        assertThrows(ForbiddenException.class, () -> pin.verify("654321"), "a prepared wrong PIN is still wrong");
        assertEquals(1, ((Number) row().get("failed_attempts")).intValue());
        pin.verify("123456");
        pin.verify("123456");
        assertEquals(0, ((Number) row().get("failed_attempts")).intValue());

        pin.prepare("123456");
        pin.set("777777", "123456");
        assertThrows(ForbiddenException.class, () -> pin.verify("123456"),
                "prepared under the old salt, it does not pass for the new PIN");
        pin.prepare("777777");
        clock.advance(java.time.Duration.ofMinutes(1));
        pin.verify("777777");
    }

    @Test
    void aPreparedChangeWritesNothingUntilItIsAppliedAndChecksTheCurrentPinThen() {
        pin.set("111111", null);
        assertEquals("pin", assertThrows(InvalidRequestException.class, () -> pin.prepareSet("12345", "111111"))
                .field());
        CriticalOperationPin.PinChange toNew = pin.prepareSet("222222", "111111");
        CriticalOperationPin.PinChange withWrongCurrent = pin.prepareSet("333333", "999999");
        pin.verify("111111");
        toNew.apply();
        pin.verify("222222");
        assertThrows(ForbiddenException.class, withWrongCurrent::apply);
        assertEquals("pin.set", pinFailures().get(0).entry().action());
        pin.verify("222222");
        CriticalOperationPin.PinChange staleCurrent = pin.prepareSet("444444", "222222");
        pin.set("555555", "222222");
        assertThrows(ForbiddenException.class, staleCurrent::apply, "checked against the PIN in force when applied");
        pin.verify("555555");
    }

    @Test
    void changingNeedsTheCurrentPinAndAWrongOneCountsAsAGuess() {
        pin.set("111111", null);
        assertEquals("currentPin", assertThrows(InvalidRequestException.class, () -> pin.set("222222", null)).field());
        assertThrows(ForbiddenException.class, () -> pin.set("222222", "999999"));
        pin.verify("111111");
        assertEquals("pin.set", pinFailures().get(0).entry().action());
        pin.set("222222", "111111");
        assertThrows(ForbiddenException.class, () -> pin.verify("111111"));
        pin.verify("222222");
    }

    @Test
    void fiveWrongPinsLockForAGrowingTimeThatSurvivesARestart() {
        pin.set("123456", null);
        for (int i = 0; i < HashedCriticalOperationPin.FAILURES_BEFORE_LOCKOUT; i++) {
            assertThrows(ForbiddenException.class, () -> pin.verify("000000"));
        }
        // Locked: even the right PIN is refused, and the refusal says when to come back.
        RateLimitedException locked = assertThrows(RateLimitedException.class, () -> pin.verify("123456"));
        assertEquals(Duration.ofSeconds(30), locked.retryAfter());
        assertThrows(RateLimitedException.class, () -> pin.set("654321", "123456"));

        // A new instance (a restart) reads the lock from the database.
        HashedCriticalOperationPin restarted = Fixtures.pin(home, database, clock);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(20),
                assertThrows(RateLimitedException.class, () -> restarted.verify("123456")).retryAfter());

        clock.advance(Duration.ofSeconds(21));
        assertThrows(ForbiddenException.class, () -> restarted.verify("000000"));
        assertEquals(Duration.ofSeconds(60),
                assertThrows(RateLimitedException.class, () -> restarted.verify("123456")).retryAfter());
        clock.advance(Duration.ofSeconds(61));
        assertThrows(ForbiddenException.class, () -> restarted.verify("000000"));
        assertEquals(Duration.ofSeconds(120),
                assertThrows(RateLimitedException.class, () -> restarted.verify("123456")).retryAfter());
        assertEquals(Duration.ofHours(1), restarted.lockout(40), "capped");

        clock.advance(Duration.ofSeconds(121));
        restarted.verify("123456");
        assertEquals(0, ((Number) row().get("failed_attempts")).intValue());
        // 7 wrong PINs and 5 refusals while locked, each audited.
        assertEquals(12, pinFailures().size());
        assertEquals(List.of("PIN_LOCKOUT CRITICAL null", "PIN_LOCKOUT CRITICAL null", "PIN_LOCKOUT CRITICAL null"),
                securityEvents(), "each lockout (after the 5th, 6th and 7th wrong PIN) is an event of the installation");
    }

    private List<String> securityEvents() {
        return database.read(handle -> handle.createQuery("SELECT category, risk, environment_id FROM security_event"
                + " ORDER BY created_at, id").map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2) + " "
                + rs.getString(3)).list());
    }

    @Test
    void parallelGuessesCannotShareACountAndGetPastTheLockout() throws Exception {
        pin.set("123456", null);
        int guesses = 24;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(guesses);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Class<?>>> outcomes = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < guesses; i++) {
                String guess = String.format("%06d", 200_000 + i);
                outcomes.add(threads.submit(() -> {
                    start.await();
                    try {
                        pin.verify(guess);
                        return Void.class;
                    } catch (RuntimeException e) {
                        return e.getClass();
                    }
                }));
            }
            start.countDown();
            Map<Class<?>, Integer> counts = new java.util.HashMap<>();
            for (var outcome : outcomes) {
                counts.merge(outcome.get(), 1, Integer::sum);
            }
            assertEquals(Map.of(ConfirmationFailedException.class, HashedCriticalOperationPin.FAILURES_BEFORE_LOCKOUT,
                    RateLimitedException.class, guesses - HashedCriticalOperationPin.FAILURES_BEFORE_LOCKOUT), counts);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(HashedCriticalOperationPin.FAILURES_BEFORE_LOCKOUT, ((Number) row().get("failed_attempts")).intValue());
        assertEquals(guesses, pinFailures().size());
    }

    @Test
    void aFailureAndItsAuditRecordSurviveTheRollbackOfTheCallersTransaction() {
        pin.set("123456", null);
        assertThrows(ForbiddenException.class, () -> database.inTransaction(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at)"
                    + " VALUES ('e', 's', 'n', 'ACTIVE', 0)");
            pin.verify("999999");
            return null;
        }));
        long environments = database.read(h -> h.createQuery("SELECT COUNT(*) FROM environment").mapTo(Long.class).one());
        assertEquals(0, environments, "the caller's own work rolled back");
        assertEquals(1, ((Number) row().get("failed_attempts")).intValue());
        assertEquals(1, pinFailures().size());
        assertTrue(audit.list(null, PageRequest.first(10)).items().stream().allMatch(r -> r.hash() != null));
    }

    private List<AuditRecord> pinFailures() {
        return audit.list(null, PageRequest.first(500)).items().stream()
                .filter(r -> "PIN".equals(r.entry().category()))
                .toList();
    }

    private void assertNullHash() {
        assertEquals(null, row().get("hash"));
    }

    private Map<String, Object> row() {
        Map<String, Object> row = database.read(h -> h.createQuery("SELECT * FROM critical_operation_pin")
                .mapToMap().one());
        assertNotNull(row);
        return row;
    }

    private static PinConfiguration configuration(int iterations, int lockoutSeconds, int maxLockoutSeconds) {
        return new PinConfiguration() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return PinConfiguration.class;
            }

            @Override
            public int iterations() {
                return iterations;
            }

            @Override
            public int lockoutSeconds() {
                return lockoutSeconds;
            }

            @Override
            public int maxLockoutSeconds() {
                return maxLockoutSeconds;
            }
        };
    }

    @Test
    void theFifthWrongPinLocksUntilTheLockoutsLastMillisecond() {
        pin.set("123456", null);
        for (int i = 0; i < HashedCriticalOperationPin.FAILURES_BEFORE_LOCKOUT - 1; i++) {
            assertThrows(ForbiddenException.class, () -> pin.verify("000000"));
        }
        assertEquals(0, lockedUntil(), "one wrong PIN short of the lockout");
        assertThrows(ForbiddenException.class, () -> pin.verify("000000"));
        assertEquals(clock.millis() + Duration.ofSeconds(30).toMillis(), lockedUntil());

        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThrows(RateLimitedException.class, () -> pin.verify("123456"), "locked until its last millisecond");
        clock.advance(Duration.ofMillis(1));
        pin.verify("123456");
    }

    @Test
    void theShortestLockoutsAnOperatorMayConfigure() {
        HashedCriticalOperationPin.Settings shortest = HashedCriticalOperationPin.Settings.of(
                configuration(HashedCriticalOperationPin.MIN_ITERATIONS, 1, 1));
        assertEquals(Duration.ofSeconds(1), shortest.lockout());
        assertEquals(Duration.ofSeconds(1), shortest.maxLockout());
        assertThrows(IllegalArgumentException.class, () -> HashedCriticalOperationPin.Settings.of(
                configuration(HashedCriticalOperationPin.MIN_ITERATIONS, 0, 1)));
    }

    private long lockedUntil() {
        Object value = row().get("locked_until");
        return value == null ? 0 : ((Number) value).longValue();
    }
}
