package io.enigm.server.policy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about access decisions. */
@ObjectClassDefinition(name = "Enigm Server access decisions",
        description = "How the policy engine judges the signals it does not get from attestation providers.")
public @interface PolicyEngineConfiguration {

    String PID = "io.enigm.server.policy";

    @AttributeDefinition(name = "Session freshness (minutes)",
            description = "A rule requiring SESSION_FRESH is met only when the device proved its key (signed a"
                    + " session challenge) at most this long ago. 1 to 1440.")
    int sessionFreshnessMinutes() default 15;
}
