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

import io.enigm.server.membership.SessionChallenge;
import io.enigm.server.store.internal.TestClock;

class SessionNoncesTest {

    private final TestClock clock = new TestClock();
    private final SessionNonces nonces = new SessionNonces(100, clock);

    @Test
    void aNonceIsUsedOnceAndOnlyByTheDeviceAndEnvironmentItWasIssuedTo() {
        SessionChallenge challenge = nonces.issue("env-1", "device-1");
        assertEquals(clock.instant().plus(SessionNonces.LIFETIME), challenge.expiresAt());
        assertTrue(challenge.nonce().length() <= 64, "fits the nonce fields of the signed requests");

        assertFalse(nonces.use(challenge.nonce(), "env-1", "device-2"), "another device");
        assertFalse(nonces.use(challenge.nonce(), "env-2", "device-1"), "another environment");
        assertFalse(nonces.find(challenge.nonce()).isFor("env-1", "device-2"));
        assertFalse(nonces.use("never-issued", "env-1", "device-1"));
        assertEquals(0, nonces.spent(), "a mismatched use does not spend the device's nonce");

        assertTrue(nonces.use(challenge.nonce(), "env-1", "device-1"));
        assertFalse(nonces.use(challenge.nonce(), "env-1", "device-1"), "replayed");
        assertNull(nonces.find(challenge.nonce()));
        assertEquals(1, nonces.spent());
    }

    @Test
    void aNonceIsOnlyEverOneOfThisServersAndAnyChangeToItIsUnknown() {
        String nonce = nonces.issue("env-1", "device-1").nonce();
        // Every single-character change: another expiry, other random bits, other tags, other encodings.
        for (int i = 0; i < nonce.length(); i++) {
            char replacement = nonce.charAt(i) == 'A' ? 'B' : 'A';
            String changed = nonce.substring(0, i) + replacement + nonce.substring(i + 1);
            assertFalse(nonces.use(changed, "env-1", "device-1"), changed);
        }
        assertFalse(nonces.use(nonce + "A", "env-1", "device-1"));
        // Another server's (or this server's before a restart): a key made at start seals every nonce.
        String elsewhere = new SessionNonces(100, clock).issue("env-1", "device-1").nonce();
        assertNull(nonces.find(elsewhere));
        assertFalse(nonces.use(elsewhere, "env-1", "device-1"));
        assertTrue(nonces.use(nonce, "env-1", "device-1"));
    }

    @Test
    void anExpiredNonceIsRefused() {
        SessionChallenge challenge = nonces.issue("env-1", "device-1");
        clock.advance(SessionNonces.LIFETIME);
        assertEquals(clock.millis(), nonces.find(challenge.nonce()).expiresAt());
        assertFalse(nonces.use(challenge.nonce(), "env-1", "device-1"));
        assertEquals(0, nonces.spent());
    }

    @Test
    void aFloodOfChallengesForADeviceTakesNothingFromTheDevice() {
        // Anyone who knows the device id may ask: far more than any per-device budget, from many places.
        for (int i = 0; i < 10_000; i++) {
            nonces.issue("env-1", "device-1");
        }
        SessionChallenge genuine = nonces.issue("env-1", "device-1");
        for (int i = 0; i < 10_000; i++) {
            nonces.issue("env-1", "device-1");
        }
        assertEquals(0, nonces.spent(), "issuing keeps nothing");
        assertTrue(nonces.use(genuine.nonce(), "env-1", "device-1"), "the device's own nonce still works");
    }

    @Test
    void usedNoncesAreRememberedUpToTheBoundAndForgottenOnceExpired() {
        for (int i = 0; i < 100; i++) {
            assertTrue(nonces.use(nonces.issue("env-1", "device-" + i).nonce(), "env-1", "device-" + i));
        }
        String more = nonces.issue("env-1", "one-more").nonce();
        assertFalse(nonces.use(more, "env-1", "one-more"), "full of unexpired used nonces: refused, not forgotten");
        assertEquals(100, nonces.spent());

        clock.advance(SessionNonces.LIFETIME.plus(Duration.ofSeconds(1)));
        assertTrue(nonces.use(nonces.issue("env-1", "one-more").nonce(), "env-1", "one-more"));
        assertEquals(1, nonces.spent(), "the expired ones were swept");
        assertThrows(IllegalArgumentException.class, () -> new SessionNonces(9, clock));
    }

    @Test
    void ofRequestsRacingWithOneNonceExactlyOneUsesIt() throws Exception {
        SessionNonces nonces = new SessionNonces(1_000, clock);
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
            assertEquals(200, nonces.spent());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void noncesAreUnpredictableAndDistinct() {
        assertNotEquals(nonces.issue("env-1", "device-1").nonce(), nonces.issue("env-1", "device-1").nonce());
    }
}
