package io.enigm.server.attestation.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.enigm.server.attestation.registry.ProviderUsage;
import io.enigm.server.attestation.registry.ProviderUsage.Outcome;

/**
 * How one provider type has used its time budget since the server started: counted on the threads
 * that waited for its answers, without a lock, read by the operator's console.
 */
final class BudgetUse {

    private final LongAdder answered = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final AtomicReference<Outcome> last = new AtomicReference<>();

    void answered(long nanos) {
        answered.increment();
        slowestNanos.accumulateAndGet(nanos, Math::max);
        last.set(Outcome.ANSWERED);
    }

    void timedOut() {
        timedOut.increment();
        last.set(Outcome.TIMED_OUT);
    }

    void failed() {
        failed.increment();
        last.set(Outcome.FAILED);
    }

    ProviderUsage usage(String type, Duration budget) {
        long answers = answered.sum();
        long timeouts = timedOut.sum();
        long failures = failed.sum();
        return new ProviderUsage(type, budget, answers + timeouts + failures, answers, timeouts, failures,
                Duration.ofNanos(slowestNanos.get()), last.get());
    }
}
