package io.enigm.server.health.internal;

import java.util.Set;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One deployed attestation provider: whether decisions ask it, and how its evaluations went since
 * the check last ran, as the registry's {@value #EVALUATIONS} meter counts them.
 */
final class ProviderCheck implements HealthCheck {

    /** The attestation registry's meter of evaluations, by provider type and outcome. */
    static final String EVALUATIONS = "enigm.attestation.evaluations";
    /** Outcomes in which the provider gave no answer: the decision failed closed. */
    private static final Set<String> FAILURES = Set.of("PROVIDER_TIMEOUT", "PROVIDER_FAILED", "PROVIDER_OVERLOADED");

    private final String type;
    private final AttestationRegistry registry;
    private final MeterRegistry meters;
    private final int criticalPercent;
    private long countedEvaluations;
    private long countedFailures;

    ProviderCheck(String type, AttestationRegistry registry, MeterRegistry meters, int criticalPercent) {
        this.type = type;
        this.registry = registry;
        this.meters = meters;
        this.criticalPercent = criticalPercent;
    }

    @Override
    public synchronized Result execute() {
        ProviderInfo info = registry.providers().stream().filter(provider -> provider.type().equals(type))
                .findFirst().orElse(null);
        if (info == null) {
            return new Result(Result.Status.CRITICAL, "Deployed, but the registry does not use it: its service"
                    + " properties are incomplete");
        }
        if (!info.selected()) {
            return new Result(Result.Status.WARN, "Deployed (version " + info.version() + "), but not asked: another"
                    + " provider answers " + info.category());
        }
        long evaluations = 0;
        long failures = 0;
        for (Timer timer : meters.find(EVALUATIONS).tag("provider", type).timers()) {
            evaluations += timer.count();
            if (FAILURES.contains(timer.getId().getTag("outcome"))) {
                failures += timer.count();
            }
        }
        long recent = evaluations - countedEvaluations;
        long failed = failures - countedFailures;
        countedEvaluations = evaluations;
        countedFailures = failures;
        String said = "Answers " + info.category() + " (version " + info.version() + "); " + recent
                + " evaluation(s) since the last check";
        if (failed == 0) {
            return new Result(Result.Status.OK, said + ", none without an answer");
        }
        said += ", " + failed + " without an answer (timed out, failed or overloaded): decisions that needed it"
                + " were denied";
        return new Result(failed * 100 >= (long) criticalPercent * recent ? Result.Status.CRITICAL
                : Result.Status.WARN, said);
    }
}
