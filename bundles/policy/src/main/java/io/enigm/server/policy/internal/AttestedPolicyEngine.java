package io.enigm.server.policy.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.PolicyEngine;
import io.enigm.server.policy.Requirement;
import io.enigm.server.policy.Simulation;
import io.enigm.server.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Decides under each environment's compiled policy in force. Signals the request carries (member
 * and device state, findings, freshness, provider signals its session established) are read from
 * it; other provider signals are asked from the {@link AttestationRegistry} only for the categories
 * the applying rules need or the device brought evidence for, and the registry
 * answers within each provider's budget or reports the category unavailable: the decision then
 * fails closed with {@code ATTESTATION_UNAVAILABLE}.
 */
@Component(service = PolicyEngine.class, configurationPid = PolicyEngineConfiguration.PID)
@Designate(ocd = PolicyEngineConfiguration.class)
public class AttestedPolicyEngine implements PolicyEngine {

    private static final Logger LOG = LoggerFactory.getLogger(AttestedPolicyEngine.class);
    private static final int MET_BY_REQUEST = Requirements.bit(Requirement.MEMBER_ACTIVE)
            | Requirements.bit(Requirement.DEVICE_TRUSTED) | Requirements.bit(Requirement.SESSION_FRESH)
            | Requirements.bit(Requirement.NO_OPEN_FINDING);

    private final PersistentPolicies policies;
    private final AttestationRegistry registry;
    private final GraceLedger grace;
    private final Clock clock;
    private final long freshnessMillis;
    static final String DECISIONS = "enigm.policy.decisions";
    static final String DENIAL_REASONS = "enigm.policy.denial.reasons";

    private final MeterRegistry meters;
    private final MeterProvider<Counter> decisions;
    private final MeterProvider<Counter> reasons;

    @Activate
    public AttestedPolicyEngine(@Reference PersistentPolicies policies, @Reference AttestationRegistry registry,
            @Reference Database database, @Reference MeterRegistry meters, PolicyEngineConfiguration configuration) {
        this(policies, registry, database, meters, freshness(configuration.sessionFreshnessMinutes()),
                Clock.systemUTC());
        LOG.info("Access decisions active; a session counts as fresh for {} min", freshnessMillis / 60_000);
    }

    AttestedPolicyEngine(PersistentPolicies policies, AttestationRegistry registry, Database database,
            MeterRegistry meters, Duration freshness, Clock clock) {
        this.policies = policies;
        this.registry = registry;
        this.grace = new GraceLedger(database);
        this.clock = clock;
        this.freshnessMillis = freshness.toMillis();
        this.meters = meters;
        this.decisions = Counter.builder(DECISIONS).description("Access decisions made, by outcome and action")
                .withRegistry(meters);
        this.reasons = Counter.builder(DENIAL_REASONS)
                .description("Why decisions denied or stepped up, by category (one decision may count in several)")
                .withRegistry(meters);
    }

    private static Duration freshness(int minutes) {
        if (minutes < 1 || minutes > 1440) {
            throw new IllegalArgumentException("sessionFreshnessMinutes must be between 1 and 1440, not " + minutes);
        }
        return Duration.ofMinutes(minutes);
    }

    @Deactivate
    void stop() {
        LOG.info("Access decisions stopped after {}", counts());
    }

    @Override
    public Decision decide(AccessRequest request) {
        return evaluate(request, true).decision();
    }

    @Override
    public Simulation simulate(AccessRequest request) {
        Evaluation evaluation = evaluate(request, false);
        return evaluation.simulation();
    }

    @Override
    public Simulation simulate(AccessRequest request, Map<SignalCategory, SignalResult> assumed) {
        check(request);
        long now = clock.millis();
        CompiledPolicy policy = policies.inForce(request.environmentId());
        CompiledPolicy.Cell cell = policy.cell(request.memberRole(), request.action(), request.resourceCategory());
        int met = fromRequest(request, now);
        int unavailableMask = 0;
        for (SignalCategory category : cell.providers) {
            SignalResult result = assumed == null ? null : assumed.get(category);
            int bit = Requirements.bit(Requirements.answeredBy(category));
            if (result == null) {
                unavailableMask |= bit;
            } else if (result == SignalResult.PASS) {
                met |= bit;
            }
        }
        Signals signals = new Signals(met, unavailableMask);
        return new Evaluation(policy.decision(policy.evaluate(cell, signals, now)), policy, cell, signals, now)
                .simulation();
    }

    /** A decision and what it was made from, for a simulation to explain. */
    private record Evaluation(Decision decision, CompiledPolicy policy, CompiledPolicy.Cell cell, Signals signals,
            long now) {

        Simulation simulation() {
            return new Simulation(decision, cell.matched(), policy.reportOnlyDenials(cell, signals, now));
        }
    }

    private Evaluation evaluate(AccessRequest request, boolean record) {
        check(request);
        long now = clock.millis();
        CompiledPolicy policy = policies.inForce(request.environmentId());
        CompiledPolicy.Cell cell = policy.cell(request.memberRole(), request.action(), request.resourceCategory());
        int met = fromRequest(request, now);
        int unavailableMask = 0;
        int failed = 0;
        Set<SignalCategory> asked = asked(request, cell, now);
        Map<SignalCategory, Observation> observations = asked.isEmpty() ? Map.of() : observe(request, asked);
        Map<SignalCategory, Instant> passes = new EnumMap<>(SignalCategory.class);
        observations.values().stream().filter(observation -> unexpiredPass(observation, now))
                .forEach(observation -> passes.put(observation.category(), observation.expiresAt()));
        for (SignalCategory category : cell.providers) {
            Observation observation = observations.get(category);
            int bit = Requirements.bit(Requirements.answeredBy(category));
            if (!asked.contains(category) || unexpiredPass(observation, now)) {
                // established by the session and not expired, or passed now
                met |= bit;
            } else if (observation == null || !observation.available()) {
                unavailableMask |= bit;
            } else if (observation.result() == SignalResult.FAIL && observation.lapse()) {
                // Only a verified lapse (a validly signed outdated patch, a reported compliance drift) is
                // "newly out of compliance"; UNKNOWN (no, stale or unverifiable evidence) and any other
                // failure (a compromise, a revoked token) are never graced.
                failed |= bit;
            }
        }
        int graceFailing = failed & cell.graceable;
        Signals signals = graceFailing == 0 ? new Signals(met, unavailableMask)
                : grace.signals(request.environmentId(), request.deviceId(), met, unavailableMask, graceFailing, now);
        Decision decision = policy.decision(policy.evaluate(cell, signals, now)).establishing(passes);
        if (record) {
            count(decision, request);
            if (cell.graceable != 0) {
                recordGrace(request, met & cell.graceable, graceFailing, now);
            }
            LOG.debug("{} {} in environment {} under policy version {}: {}", decision.outcome(), request.action(),
                    request.environmentId(), decision.policyVersion(), decision.categories());
        }
        return new Evaluation(decision, policy, cell, signals, now);
    }

    /**
     * The categories to ask the providers about: those the applying rules need and the session has
     * not established (or whose establishment expired), and those the device brought evidence for,
     * so that what it proves once (an OS posture statement for this attempt) is established for the
     * session's later requests.
     */
    private Set<SignalCategory> asked(AccessRequest request, CompiledPolicy.Cell cell, long now) {
        Set<SignalCategory> asked = EnumSet.noneOf(SignalCategory.class);
        for (SignalCategory category : cell.providers) {
            Instant established = request.established().get(category);
            if (established == null || established.toEpochMilli() <= now) {
                asked.add(category);
            }
        }
        if (request.evidence() != null && !request.evidence().isEmpty()) {
            registry.providers().stream().filter(provider -> provider.selected()
                    && request.evidence().containsKey(provider.type()))
                    .forEach(provider -> asked.add(provider.category()));
        }
        return asked;
    }

    /** A PASS counts until it expires; one without an expiry is not trusted at all. */
    private static boolean unexpiredPass(Observation observation, long now) {
        return observation != null && observation.passed() && observation.expiresAt() != null
                && observation.expiresAt().toEpochMilli() > now;
    }

    private Map<SignalCategory, Observation> observe(AccessRequest request, Set<SignalCategory> asked) {
        try {
            Map<SignalCategory, Observation> observations = registry.observe(
                    new DeviceRef(request.environmentId(), request.memberId(), request.deviceId(), request.publicKey(),
                            request.challenge()),
                    asked, request.evidence() == null ? Map.of() : request.evidence());
            return observations == null ? Map.of() : observations;
        } catch (RuntimeException e) {
            // The registry promises not to throw; if it does anyway, every category it was asked is unavailable.
            LOG.warn("The attestation registry failed ({}); deciding without its signals", e.getClass().getName());
            return Map.of();
        }
    }

    /** After the decision: a ledger that cannot be written costs the device its grace, never the decision. */
    private void recordGrace(AccessRequest request, int met, int failed, long now) {
        try {
            grace.record(request.environmentId(), request.deviceId(), met, failed, now);
        } catch (RuntimeException e) {
            LOG.warn("Could not record grace-period standing in environment {} ({})", request.environmentId(),
                    e.getClass().getName());
        }
    }

    private int fromRequest(AccessRequest request, long now) {
        int met = 0;
        if (request.memberActive()) {
            met |= Requirements.bit(Requirement.MEMBER_ACTIVE);
        }
        if (request.deviceTrusted()) {
            met |= Requirements.bit(Requirement.DEVICE_TRUSTED);
        }
        if (!request.openFinding()) {
            met |= Requirements.bit(Requirement.NO_OPEN_FINDING);
        }
        Instant proved = request.sessionAuthenticatedAt();
        if (proved != null && proved.toEpochMilli() <= now && now - proved.toEpochMilli() <= freshnessMillis) {
            met |= Requirements.bit(Requirement.SESSION_FRESH);
        }
        return met & MET_BY_REQUEST;
    }

    private static void check(AccessRequest request) {
        if (request == null || request.environmentId() == null) {
            throw new InvalidRequestException("environmentId", "is required");
        }
        if (request.action() == null) {
            throw new InvalidRequestException("action", "is required");
        }
    }

    private void count(Decision decision, AccessRequest request) {
        decisions.withTags("outcome", decision.outcome().name(), "action", request.action().name()).increment();
        for (DecisionCategory category : decision.categories()) {
            reasons.withTags("category", category.name()).increment();
        }
    }

    /** Decisions made since start, by outcome, and how many failed closed for want of a provider. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DecisionOutcome outcome : DecisionOutcome.values()) {
            counts.put(outcome.name(), sum(meters.find(DECISIONS).tag("outcome", outcome.name()).counters()));
        }
        counts.put("ATTESTATION_UNAVAILABLE", sum(meters.find(DENIAL_REASONS)
                .tag("category", DecisionCategory.ATTESTATION_UNAVAILABLE.name()).counters()));
        return counts;
    }

    private static long sum(Collection<Counter> counters) {
        return (long) counters.stream().mapToDouble(Counter::count).sum();
    }
}
