package io.enigm.server.attestation.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about asking attestation providers. */
@ObjectClassDefinition(name = "Enigm Server attestation",
        description = "Time budgets for attestation providers, the threads that ask them, and the erasure of"
                + " deleted environments' provider records.")
public @interface AttestationConfiguration {

    String PID = "io.enigm.server.attestation";

    @AttributeDefinition(name = "Default time budget (ms)",
            description = "A provider that has not answered within this time is reported unavailable, and a"
                    + " policy that needs it fails closed. 1 to 10000.")
    int defaultBudgetMillis() default 200;

    @AttributeDefinition(name = "Time budgets by provider type",
            description = "Overrides as type=milliseconds, e.g. os-posture=100. 1 to 10000 each.")
    String[] budgetOverrides() default {};

    @AttributeDefinition(name = "Provider threads",
            description = "Threads that call providers concurrently. 1 to 256.")
    int providerThreads() default 16;

    @AttributeDefinition(name = "Waiting provider calls",
            description = "Calls queued beyond the busy threads; past this, a call is reported unavailable at"
                    + " once instead of waiting. 1 to 100000.")
    int maxQueuedCalls() default 1024;
}
