package io.enigm.server.health.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.SignalCategory;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class ProviderCheckTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock();
    private final AttestationRegistry registry = (AttestationRegistry) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {AttestationRegistry.class}, (proxy, method, args) -> {
                if (method.getName().equals("providers")) {
                    return List.of(new ProviderInfo("esim", "eSIM", "1.0.0", SignalCategory.ESIM_BINDING, "b", true));
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private void evaluate(String outcome, int times) {
        Timer timer = Timer.builder(ProviderCheck.EVALUATIONS).tag("provider", "esim").tag("outcome", outcome)
                .register(meters);
        for (int i = 0; i < times; i++) {
            timer.record(1, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void evaluationsBeforeTheCheckExistedAndASingleFailureNeverMakeItCritical() {
        evaluate("PROVIDER_TIMEOUT", 1000);
        ProviderCheck check = new ProviderCheck("esim", registry, meters, 50, clock);
        assertEquals(Result.Status.OK, check.execute().getStatus(), "what came before it is not its to judge");

        evaluate("PROVIDER_TIMEOUT", 1);
        assertEquals(Result.Status.WARN, check.execute().getStatus(), "one timeout is worth a look, not an outage");
    }

    @Test
    void theVerdictIsTheLastWholeMinutesAndReadingItOftenChangesNothing() {
        ProviderCheck check = new ProviderCheck("esim", registry, meters, 50, clock);
        evaluate("PASS", 4);
        evaluate("PROVIDER_FAILED", 6);
        clock.advanceSeconds(61);
        for (int read = 0; read < 20; read++) {
            Result result = check.execute();
            assertEquals(Result.Status.CRITICAL, result.getStatus(), "read " + read);
            assertTrue(result.toString().contains("10 evaluation(s) in the last minute"), result.toString());
        }
        evaluate("PASS", 3);
        clock.advanceSeconds(60);
        assertEquals(Result.Status.OK, check.execute().getStatus(), "a good minute after a bad one");
    }

    @Test
    void aProviderTheRegistryDoesNotListIsBeingTakenUpAMomentAndThenCritical() {
        AttestationRegistry empty = (AttestationRegistry) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AttestationRegistry.class}, (proxy, method, args) -> List.of());
        ProviderCheck check = new ProviderCheck("esim", empty, meters, 50, clock);
        assertEquals(Result.Status.WARN, check.execute().getStatus(), "the registry may bind it a moment later");
        clock.advanceSeconds(ProviderCheck.TAKING_UP.toSeconds());
        Result ignored = check.execute();
        assertEquals(Result.Status.CRITICAL, ignored.getStatus());
        assertTrue(ignored.toString().contains("the registry does not use it"), ignored.toString());
    }

    /** A monotonic clock the test moves, in milliseconds. */
    private static final class MutableClock implements LongSupplier {
        private long now = 1_000_000;

        void advanceSeconds(long seconds) {
            now += seconds * 1000;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }
}
