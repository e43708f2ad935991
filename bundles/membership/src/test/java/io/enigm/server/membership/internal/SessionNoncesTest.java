package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.enigm.server.common.RateLimitedException;
import io.enigm.server.membership.SessionChallenge;
import io.enigm.server.store.internal.TestClock;

class SessionNoncesTest {

    private final TestClock clock = new TestClock();
    private final SessionNonces nonces = new SessionNonces(100, clock);

    @Test
    void aNonceIsUsedOnceAndOnlyByTheDeviceAndEnvironmentItWasIssuedTo() {
        SessionChallenge challenge = nonces.issue("env-1", "device-1");
        assertEquals(clock.instant().plus(SessionNonces.LIFETIME), challenge.expiresAt());

        assertFalse(nonces.use(challenge.nonce(), "env-1", "device-2"), "another device");
        assertFalse(nonces.use(challenge.nonce(), "env-2", "device-1"), "another environment");
        assertFalse(nonces.use("never-issued", "env-1", "device-1"));
        assertEquals(1, nonces.held(), "a mismatched use does not spend the device's nonce");

        assertTrue(nonces.use(challenge.nonce(), "env-1", "device-1"));
        assertFalse(nonces.use(challenge.nonce(), "env-1", "device-1"), "replayed");
        assertNull(nonces.find(challenge.nonce()));
        assertEquals(0, nonces.held());
    }

    @Test
    void anExpiredNonceIsRefusedAndForgotten() {
        SessionChallenge challenge = nonces.issue("env-1", "device-1");
        clock.advance(SessionNonces.LIFETIME);
        assertFalse(nonces.use(challenge.nonce(), "env-1", "device-1"));
        assertEquals(0, nonces.held());
    }

    @Test
    void aDeviceHoldsAtMostTenLiveNoncesAndGetsPlacesBackAsTheyExpireOrAreUsed() {
        List<SessionChallenge> issued = new ArrayList<>();
        for (int i = 0; i < SessionNonces.PER_DEVICE; i++) {
            issued.add(nonces.issue("env-1", "device-1"));
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> nonces.issue("env-1", "device-1"));
        assertEquals(SessionNonces.LIFETIME, refused.retryAfter());
        nonces.issue("env-1", "device-2");

        assertTrue(nonces.use(issued.get(0).nonce(), "env-1", "device-1"));
        nonces.issue("env-1", "device-1");
        assertThrows(RateLimitedException.class, () -> nonces.issue("env-1", "device-1"));

        clock.advance(SessionNonces.LIFETIME);
        for (int i = 0; i < SessionNonces.PER_DEVICE; i++) {
            nonces.issue("env-1", "device-1");
        }
        assertEquals(SessionNonces.PER_DEVICE, nonces.held(), "the expired nonces made room and were forgotten");
    }

    @Test
    void theInstallationHoldsAtMostTheConfiguredNumberUntilExpiredOnesAreSwept() {
        for (int device = 0; device < 100; device++) {
            nonces.issue("env-1", "device-" + device);
        }
        assertThrows(RateLimitedException.class, () -> nonces.issue("env-1", "one-more"));
        assertEquals(100, nonces.held());

        clock.advance(SessionNonces.LIFETIME.plus(Duration.ofSeconds(1)));
        nonces.issue("env-1", "one-more");
        assertEquals(1, nonces.held(), "the expired ones were swept");
        assertThrows(IllegalArgumentException.class, () -> new SessionNonces(9, clock));
    }

    @Test
    void ofRequestsRacingWithOneNonceExactlyOneUsesIt() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 200; round++) {
                SessionChallenge challenge = nonces.issue("env-1", "device-1");
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<Boolean>> racers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    racers.add(() -> {
                        start.await();
                        return nonces.use(challenge.nonce(), "env-1", "device-1");
                    });
                }
                List<Future<Boolean>> results = new ArrayList<>();
                for (Callable<Boolean> racer : racers) {
                    results.add(threads.submit(racer));
                }
                start.countDown();
                int won = 0;
                for (Future<Boolean> result : results) {
                    won += result.get() ? 1 : 0;
                }
                assertEquals(1, won, "round " + round);
            }
            assertEquals(0, nonces.held());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void noncesAreUnpredictableAndDistinct() {
        assertNotEquals(nonces.issue("env-1", "device-1").nonce(), nonces.issue("env-1", "device-1").nonce());
    }
}
