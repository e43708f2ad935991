package io.enigm.server.policy;

import org.osgi.annotation.versioning.ProviderType;

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
}
