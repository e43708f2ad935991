package io.enigm.server.environment.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Enigm Server environment lifecycle",
        description = "How long a closing environment stays read-only before it is closed, and how often"
                + " that is checked.")
public @interface LifecycleConfiguration {

    String PID = "io.enigm.server.environment.lifecycle";

    @AttributeDefinition(name = "Closing grace period",
            description = "ISO-8601 duration (e.g. P7D, PT12H) a closing environment stays read-only before it is"
                    + " closed. Applies to environments closed after a change.")
    String closingGracePeriod() default "P7D";

    @AttributeDefinition(name = "Closing sweep interval",
            description = "ISO-8601 duration between checks for closing environments whose grace period ended."
                    + " Reads show the right state without waiting for it.")
    String sweepInterval() default "PT1M";
}
