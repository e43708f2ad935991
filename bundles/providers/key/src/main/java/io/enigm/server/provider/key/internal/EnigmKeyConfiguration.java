package io.enigm.server.provider.key.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about Enigm Key signatures. */
@ObjectClassDefinition(name = "Enigm Server Enigm Key provider",
        description = "Verifies the ECDSA P-256 signatures of members' Enigm Key hardware tokens over the server's"
                + " session nonce.")
public @interface EnigmKeyConfiguration {

    String PID = "io.enigm.server.provider.key";

    @AttributeDefinition(name = "Signal lifetime (seconds)",
            description = "How long a verified key signature counts before the key must sign again. 10 to 3600.")
    int signalLifetimeSeconds() default 300;
}
