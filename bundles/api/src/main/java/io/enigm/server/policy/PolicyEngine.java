package io.enigm.server.policy;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;

/**
 * Decides access under the environment's policy in force. Decisions never wait on a provider past
 * its budget, and fail closed ({@link DecisionCategory#ATTESTATION_UNAVAILABLE}) when a needed
 * provider is absent, failing or slow.
 */
@ProviderType
public interface PolicyEngine {

    Decision decide(AccessRequest request);

    /** The same decision, with the rules that matched; nothing is recorded. */
    Simulation simulate(AccessRequest request);

    /**
     * The decision a hypothetical request would get if the providers answered {@code assumed}; no
     * provider is asked and nothing is recorded. A category missing from {@code assumed} counts as
     * unavailable, as a provider that is absent would.
     *
     * @since 1.1
     */
    Simulation simulate(AccessRequest request, Map<SignalCategory, SignalResult> assumed);
}
