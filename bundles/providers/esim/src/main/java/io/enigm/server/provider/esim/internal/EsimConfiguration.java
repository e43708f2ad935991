package io.enigm.server.provider.esim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about the eSIM binding signal. */
@ObjectClassDefinition(name = "Enigm Server eSIM provider",
        description = "Keeps each device's eSIM profile lifecycle (ICCIDs as handles); the signal passes while an"
                + " active profile is bound to the device.")
public @interface EsimConfiguration {

    String PID = "io.enigm.server.provider.esim";

    @AttributeDefinition(name = "Signal lifetime (seconds)",
            description = "How long an eSIM binding signal counts before it is asked again. 10 to 3600.")
    int signalLifetimeSeconds() default 300;
}
