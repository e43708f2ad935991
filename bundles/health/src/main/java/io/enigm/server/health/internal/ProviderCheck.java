package io.enigm.server.health.internal;

import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One deployed attestation provider: whether decisions ask it, and how its evaluations went in the
 * last whole minute, as the registry's {@value #EVALUATIONS} meter counts them. The minute is fixed
 * by the clock, not by who reads the check, so reading it often changes nothing; a verdict of
 * CRITICAL needs {@value #FEWEST_FOR_CRITICAL} evaluations at least.
 */
final class ProviderCheck implements HealthCheck {

    /** The attestation registry's meter of evaluations, by provider type and outcome. */
    static final String EVALUATIONS = "enigm.attestation.evaluations";
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int FEWEST_FOR_CRITICAL = 5;
    /**
     * How long a provider the registry does not list yet counts as being taken up: this check and the
     * registry bind the same service, in an order nobody fixes, and a health run between the two
     * must not turn the installation down.
     */
    static final Duration TAKING_UP = Duration.ofSeconds(10);
    /** Outcomes in which the provider gave no answer: the decision failed closed. */
    private static final Set<String> FAILURES = Set.of("PROVIDER_TIMEOUT", "PROVIDER_FAILED", "PROVIDER_OVERLOADED");

    private final String type;
    private final AttestationRegistry registry;
    private final MeterRegistry meters;
    private final int criticalPercent;
    /** Milliseconds from a monotonic source: a wall-clock step must not stretch the grace or a window. */
    private final LongSupplier millis;
    private final long deployedAt;
    private long windowStart;
    private Counts atWindowStart;
    private Counts lastWindow;

    /** Evaluations, and how many of them got no answer. */
    record Counts(long evaluations, long failures) {

        Counts minus(Counts earlier) {
            return new Counts(evaluations - earlier.evaluations, failures - earlier.failures);
        }
    }

    ProviderCheck(String type, AttestationRegistry registry, MeterRegistry meters, int criticalPercent,
            LongSupplier millis) {
        this.type = type;
        this.registry = registry;
        this.meters = meters;
        this.criticalPercent = criticalPercent;
        this.millis = millis;
        // a provider deployed again starts from what its type counted until now, not from zero
        this.atWindowStart = counts();
        this.windowStart = millis.getAsLong();
        this.deployedAt = windowStart;
    }

    @Override
    public synchronized Result execute() {
        ProviderInfo info = registry.providers().stream().filter(provider -> provider.type().equals(type))
                .findFirst().orElse(null);
        if (info == null && millis.getAsLong() - deployedAt < TAKING_UP.toMillis()) {
            return new Result(Result.Status.WARN, "Deployed; the registry is taking it up");
        }
        if (info == null) {
            return new Result(Result.Status.CRITICAL, "Deployed, but the registry does not use it: its service"
                    + " properties are incomplete");
        }
        if (!info.selected()) {
            return new Result(Result.Status.WARN, "Deployed (version " + info.version() + "), but not asked: another"
                    + " provider answers " + info.category());
        }
        long now = millis.getAsLong();
        Counts total = counts();
        if (now - windowStart >= WINDOW.toMillis()) {
            lastWindow = total.minus(atWindowStart);
            atWindowStart = total;
            windowStart = now - (now - windowStart) % WINDOW.toMillis();
        }
        Counts judged = lastWindow != null ? lastWindow : total.minus(atWindowStart);
        String said = "Answers " + info.category() + " (version " + info.version() + "); " + judged.evaluations()
                + " evaluation(s) in " + (lastWindow != null ? "the last minute" : "its first minute");
        if (judged.failures() == 0) {
            return new Result(Result.Status.OK, said + ", none without an answer");
        }
        said += ", " + judged.failures() + " without an answer (timed out, failed or overloaded): decisions that"
                + " needed it were denied";
        boolean critical = judged.evaluations() >= FEWEST_FOR_CRITICAL
                && judged.failures() * 100 >= (long) criticalPercent * judged.evaluations();
        return new Result(critical ? Result.Status.CRITICAL : Result.Status.WARN, said);
    }

    private Counts counts() {
        long evaluations = 0;
        long failures = 0;
        for (Timer timer : meters.find(EVALUATIONS).tag("provider", type).timers()) {
            evaluations += timer.count();
            if (FAILURES.contains(timer.getId().getTag("outcome"))) {
                failures += timer.count();
            }
        }
        return new Counts(evaluations, failures);
    }
}
