package io.enigm.server.attestation.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderUsage;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.common.UnavailableException;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Provider code run off the caller's thread, on a bounded pool, each call within its provider
 * type's budget. Whatever a provider does wrong here — no answer in time, an exception, a full
 * pool, a signal of another category — becomes {@link Observation#unavailable} for an evaluation
 * and an {@link UnavailableException} that changes nothing for an operation; it is logged by the
 * provider's type and the exception's type only, since a provider's message may quote evidence.
 */
final class ProviderCalls implements AutoCloseable {

    /** Reason codes of unavailable observations, for administrators. */
    static final String TIMEOUT = "PROVIDER_TIMEOUT";
    static final String FAILED = "PROVIDER_FAILED";
    static final String OVERLOADED = "PROVIDER_OVERLOADED";

    private static final Logger LOG = LoggerFactory.getLogger(ProviderCalls.class);
    private static final BudgetUse NEVER_ASKED = new BudgetUse();

    private final Budgets budgets;
    private final ThreadPoolExecutor pool;
    /** Each provider type's use of its budget since start, kept when it goes so that it shows again if it returns. */
    private final Map<String, BudgetUse> budgetUse = new ConcurrentHashMap<>();
    private final MeterProvider<Timer> evaluations;

    ProviderCalls(Budgets budgets, int threads, int queued, MeterRegistry meters) {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("providerThreads must be between 1 and 256, not " + threads);
        }
        if (queued < 1 || queued > 100_000) {
            throw new IllegalArgumentException("maxQueuedCalls must be between 1 and 100000, not " + queued);
        }
        this.budgets = budgets;
        this.evaluations = Timer.builder("enigm.attestation.evaluations")
                .description("Providers' evaluations, by provider type and outcome (a result, or why none came)")
                .withRegistry(meters);
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
                runnable -> {
                    Thread thread = new Thread(runnable, "enigm-attestation-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Asks {@code registration}'s provider for its signal at once and gives what waits for it: the
     * observation, once the provider answers or the budget counted from {@code started} is spent.
     */
    Supplier<Observation> evaluate(Registration registration, RegisteredDevice device, Map<String, Object> evidence,
            long started) {
        String type = registration.type();
        SignalCategory category = registration.category();
        Future<Signal> answer;
        try {
            answer = pool.submit(() -> registration.provider().evaluate(device, evidence));
        } catch (RejectedExecutionException e) {
            LOG.warn("Attestation provider {} not asked: every provider thread is busy and the queue is full", type);
            use(type).failed();
            Observation overloaded = counted(type, Observation.unavailable(category, OVERLOADED), started);
            return () -> overloaded;
        }
        return () -> counted(type, await(category, type, answer, started), started);
    }

    /** Counts an evaluation by its outcome: the signal's result, or why there was none. */
    private Observation counted(String type, Observation observation, long started) {
        evaluations.withTags("provider", type, "outcome", observation.available() ? observation.result().name()
                : observation.reasonCode()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return observation;
    }

    private Observation await(SignalCategory category, String type, Future<Signal> answer, long started) {
        BudgetUse use = use(type);
        long deadline = started + budgets.of(type).toNanos();
        try {
            Signal signal = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (signal == null || signal.category() != category) {
                LOG.warn("Attestation provider {} answered without a {} signal", type, category);
                use.failed();
                return Observation.unavailable(category, FAILED);
            }
            use.answered(System.nanoTime() - started);
            return new Observation(category, signal.result(), true, signal.expiresAt(), signal.reasonCode(),
                    signal.lapse());
        } catch (TimeoutException e) {
            answer.cancel(true);
            LOG.debug("Attestation provider {} did not answer within its budget", type);
            use.timedOut();
            return Observation.unavailable(category, TIMEOUT);
        } catch (ExecutionException e) {
            LOG.warn("Attestation provider {} failed ({})", type, e.getCause().getClass().getName());
            use.failed();
            return Observation.unavailable(category, FAILED);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return Observation.unavailable(category, TIMEOUT);
        }
    }

    /**
     * Runs an operation's or a description's provider code within the operations' budget. A refusal
     * passes through; a timeout, a full pool or any other failure is {@link UnavailableException}.
     */
    <T> T operate(Registration registration, Callable<T> work) throws AttestationException {
        Future<T> answer;
        try {
            answer = pool.submit(work);
        } catch (RejectedExecutionException e) {
            LOG.warn("Attestation provider {} not asked: every provider thread is busy", registration.type());
            throw new UnavailableException("the attestation provider is busy; nothing was changed, try again");
        }
        try {
            return answer.get(budgets.operation().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            LOG.warn("Attestation provider {} did not answer within its budget", registration.type());
            throw new UnavailableException("the attestation provider did not answer in time; nothing was changed");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AttestationException refusal) {
                throw refusal;
            }
            LOG.warn("Attestation provider {} failed ({})", registration.type(), e.getCause().getClass().getName());
            throw new UnavailableException("the attestation provider failed; nothing was changed");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the attestation provider");
        }
    }

    /** How {@code type}'s provider has used its budget since start. */
    ProviderUsage usage(String type) {
        return budgetUse.getOrDefault(type, NEVER_ASKED).usage(type, budgets.of(type));
    }

    private BudgetUse use(String type) {
        return budgetUse.computeIfAbsent(type, any -> new BudgetUse());
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
