package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;

/** The limiter never fails open on a bad configuration. */
class RequestRateLimitTest {

    @Test
    void anInvalidConfigurationAtStartLimitsAtTheDefaultsInsteadOfNotAtAll() {
        RequestRateLimit limit = new RequestRateLimit(configuration(0, 4000));
        TokenBuckets buckets = limit.buckets();
        assertNotNull(buckets, "a limiter runs");
        int refused = 0;
        for (int i = 0; i < 3 * RequestRateLimit.DEFAULT_BURST; i++) {
            refused += buckets.take("192.0.2.1") > 0 ? 1 : 0;
        }
        assertTrue(refused > 0, "requests beyond the default burst are refused");
    }

    @Test
    void anInvalidChangeLeavesTheRunningConfigurationInForce() {
        RequestRateLimit limit = new RequestRateLimit(configuration(10, 20));
        TokenBuckets running = limit.buckets();
        assertThrows(IllegalArgumentException.class, () -> limit.modified(configuration(10, 0)));
        assertSame(running, limit.buckets());
    }

    private static RequestRateLimit.Configuration configuration(int perSecond, int burst) {
        return new RequestRateLimit.Configuration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return RequestRateLimit.Configuration.class;
            }

            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int requestsPerSecond() {
                return perSecond;
            }

            @Override
            public int burst() {
                return burst;
            }

            @Override
            public int maxAddresses() {
                return RequestRateLimit.DEFAULT_ADDRESSES;
            }
        };
    }
}
