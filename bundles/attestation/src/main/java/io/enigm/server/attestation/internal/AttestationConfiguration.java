package io.enigm.server.attestation.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about asking attestation providers. */
@ObjectClassDefinition(name = "Enigm Server attestation",
        description = "Which provider answers each category, time budgets for attestation providers and the"
                + " threads that ask them.")
public @interface AttestationConfiguration {

    String PID = "io.enigm.server.attestation";

    @AttributeDefinition(name = "Provider of each category",
            description = "CATEGORY=type entries, e.g. HARDWARE_KEY=enigm-key: decisions ask only the named"
                    + " provider for that category. A category not named here is answered by its only deployed"
                    + " provider; with several deployed, by none (fail closed) until one is named.")
    String[] categoryProviders() default {"HARDWARE_KEY=enigm-key", "OS_POSTURE=os-posture",
        "MANAGED_DEVICE=managed-device", "ESIM_BINDING=esim"};

    @AttributeDefinition(name = "Default time budget (ms)",
            description = "A provider that has not answered within this time is reported unavailable, and a"
                    + " policy that needs it fails closed. 1 to 10000.")
    int defaultBudgetMillis() default 200;

    @AttributeDefinition(name = "Operation time budget (ms)",
            description = "An administrator's operation or a service's callback whose provider has not answered"
                    + " within this time is refused with 503 and changes nothing. 1 to 10000.")
    int operationBudgetMillis() default 2000;

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
