package io.enigm.server.policy.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.AttestationChange;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.registry.ProviderUsage;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;

/**
 * Test double of the attestation bundle's registry (a collaborator this bundle does not own): it
 * answers what the test scripted per category, reports categories with no script as unavailable,
 * exactly as the registry does for an absent provider, and remembers what it was asked.
 */
final class ScriptedRegistry implements AttestationRegistry {

    private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

    private final Map<SignalCategory, SignalResult> results = new EnumMap<>(SignalCategory.class);
    private final Map<SignalCategory, Instant> expiries = new EnumMap<>(SignalCategory.class);
    private final Set<SignalCategory> compromised = java.util.EnumSet.noneOf(SignalCategory.class);
    final List<Set<SignalCategory>> asked = new ArrayList<>();
    /** The providers deployed, as {@link #providers} lists them. */
    final List<ProviderInfo> deployed = new ArrayList<>();
    /** The nonce of each attempt the registry was asked about, in order ({@code null}: none). */
    final List<String> challenges = new ArrayList<>();

    /** Scripts a verdict; a FAIL is a verified lapse, which a policy may grace. */
    void answer(SignalCategory category, SignalResult result) {
        answer(category, result, FAR_FUTURE);
    }

    /** Answers {@code result}, valid until {@code expiresAt} (which may be {@code null}, as no registry sends). */
    void answer(SignalCategory category, SignalResult result, Instant expiresAt) {
        results.put(category, result);
        expiries.put(category, expiresAt);
        compromised.remove(category);
    }

    /** Scripts a FAIL that is no lapse (a compromise, a revoked token): never graced. */
    void answerFailureWithoutLapse(SignalCategory category) {
        results.put(category, SignalResult.FAIL);
        expiries.put(category, FAR_FUTURE);
        compromised.add(category);
    }

    void remove(SignalCategory category) {
        results.remove(category);
    }

    void answerAll(SignalResult result) {
        for (SignalCategory category : SignalCategory.values()) {
            answer(category, result);
        }
    }

    @Override
    public Map<SignalCategory, Observation> observe(DeviceRef device, Set<SignalCategory> needed,
            Map<String, Map<String, Object>> evidence) {
        asked.add(Set.copyOf(needed));
        challenges.add(device.challenge());
        Map<SignalCategory, Observation> observations = new EnumMap<>(SignalCategory.class);
        for (SignalCategory category : needed) {
            SignalResult result = results.get(category);
            observations.put(category, result == null ? Observation.unavailable(category, "NO_PROVIDER")
                    : new Observation(category, result, true, expiries.get(category), "SCRIPTED",
                            result == SignalResult.FAIL && !compromised.contains(category)));
        }
        return observations;
    }

    @Override
    public List<ProviderInfo> providers() {
        return List.copyOf(deployed);
    }

    @Override
    public Map<String, Object> describe(DeviceRef device, String type) {
        throw new UnsupportedOperationException("not used by the policy engine");
    }

    @Override
    public AttestationChange prepareOperation(DeviceRef device, String type, String operation,
            Map<String, Object> request) {
        throw new UnsupportedOperationException("not used by the policy engine");
    }

    @Override
    public AttestationChange prepareCallback(DeviceRef device, String type, String operation,
            Map<String, Object> request) {
        throw new UnsupportedOperationException("not used by the policy engine");
    }

    @Override
    public Set<SignalCategory> availableCategories() {
        return results.keySet();
    }

    @Override
    public List<ProviderUsage> usage() {
        throw new UnsupportedOperationException("not used by the policy engine");
    }
}
