package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The per-address token buckets on a clock the test moves: rate, burst, independence and bounded memory. */
class TokenBucketsTest {

    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void anAddressGetsItsBurstThenOneRequestPerTokenAndIsToldHowLongToWait() {
        TokenBuckets buckets = new TokenBuckets(10, 3, 100, clock::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, buckets.take("a"), "request " + i + " of the burst");
        }
        assertEquals(100 * MILLI, buckets.take("a"), "refused: the next token comes in 1/10 s");
        clock.addAndGet(40 * MILLI);
        assertEquals(60 * MILLI, buckets.take("a"), "a refused request takes nothing");
        clock.addAndGet(60 * MILLI);
        assertEquals(0, buckets.take("a"));
        assertTrue(buckets.take("a") > 0);
    }

    @Test
    void aQuietAddressRefillsToTheBurstAndNoFurther() {
        TokenBuckets buckets = new TokenBuckets(10, 3, 100, clock::get);
        buckets.take("a");
        clock.addAndGet(TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(0, buckets.take("a"));
        }
        assertTrue(buckets.take("a") > 0, "an hour of quiet is worth the burst, not 36,000 requests");
    }

    @Test
    void oneAddressBeyondItsRateLeavesAnotherServed() {
        TokenBuckets buckets = new TokenBuckets(1, 2, 100, clock::get);
        buckets.take("10.0.0.1");
        buckets.take("10.0.0.1");
        assertTrue(buckets.take("10.0.0.1") > 0);
        assertEquals(0, buckets.take("10.0.0.2"));
        assertEquals(0, buckets.take("::1"));
    }

    @Test
    void manySourceAddressesNeverGrowTheTableBeyondItsBoundAndShareOneBucketBeyondIt() {
        TokenBuckets buckets = new TokenBuckets(10, 5, 100, clock::get);
        int served = 0;
        for (int i = 0; i < 100_000; i++) {
            if (buckets.take("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255)) == 0) {
                served++;
            }
            assertTrue(buckets.tracked() <= 100, "tracked " + buckets.tracked());
        }
        assertEquals(100, buckets.tracked());
        assertEquals(100 + 5, served, "the first 100 addresses have a bucket each; the rest share one burst of 5");
    }

    @Test
    void anAddressOverItsRateStaysLimitedWhileOthersFloodTheTable() {
        TokenBuckets buckets = new TokenBuckets(1, 2, 16, clock::get);
        buckets.take("victim");
        buckets.take("victim");
        int served = 0;
        for (int i = 1; i <= 10_000; i++) {
            buckets.take("flood-" + i);
            clock.addAndGet(MILLI);
            if (i % 100 == 0 && buckets.take("victim") == 0) {
                served++;
            }
        }
        // 10 s at 1 a second (and at most one token gained while its bucket is swept): flooding
        // the table with new addresses does not give the limited address a fresh bucket
        assertTrue(served <= 11, "served " + served + " of 100");
    }

    @Test
    void bucketsThatRefilledAreDroppedToMakeRoomForNewAddresses() {
        TokenBuckets buckets = new TokenBuckets(10, 5, 16, clock::get);
        for (int i = 0; i < 16; i++) {
            buckets.take("old-" + i);
        }
        assertEquals(16, buckets.tracked());
        for (int i = 0; i < 5; i++) {
            assertEquals(0, buckets.take("overflow-" + i));
        }
        assertTrue(buckets.take("overflow-5") > 0, "the table is full: new addresses share the overflow bucket");
        clock.addAndGet(500 * MILLI);
        assertEquals(0, buckets.take("new"), "half a second refills every old bucket: they make room");
        assertEquals(1, buckets.tracked());
    }

    @Test
    void aTableFullOfBusyAddressesIsSweptAtMostOncePerRefillTime() {
        TokenBuckets buckets = new TokenBuckets(10, 5, 16, clock::get);
        for (int i = 0; i < 16; i++) {
            buckets.take("busy-" + i);
        }
        clock.addAndGet(500 * MILLI);
        buckets.take("first"); // sweeps: all 16 were full again
        for (int i = 0; i < 15; i++) {
            buckets.take("busy-again-" + i);
        }
        assertEquals(16, buckets.tracked());
        clock.addAndGet(500 * MILLI - 1);
        buckets.take("too-soon");
        assertEquals(16, buckets.tracked(), "no second sweep within the refill time, though every bucket is full");
        clock.addAndGet(1);
        buckets.take("in-time");
        assertEquals(1, buckets.tracked());
    }

    @Test
    void concurrentRequestsOfOneAddressShareItsTokensExactly() throws Exception {
        TokenBuckets buckets = new TokenBuckets(10, 1000, 100, clock::get);
        AtomicInteger served = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    if (buckets.take("one") == 0) {
                        served.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(1000, served.get(), "8,000 requests at one instant: the burst, no token twice");
    }

    @Test
    void aRateBurstOrBoundBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(0, 1, 1, clock::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(1, 0, 1, clock::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(1, 1, 0, clock::get));
    }
}
