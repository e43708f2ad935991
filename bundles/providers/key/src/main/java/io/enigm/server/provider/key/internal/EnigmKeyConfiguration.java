package io.enigm.server.provider.key.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about Enigm Key signatures. */
@ObjectClassDefinition(name = "Enigm Server Enigm Key provider",
        description = "Verifies the ECDSA P-256 challenge signatures of members' Enigm Key hardware tokens.")
public @interface EnigmKeyConfiguration {

    String PID = "io.enigm.server.provider.key";

    @AttributeDefinition(name = "Signal lifetime (seconds)",
            description = "How long a verified key signature counts before the key must sign again. 10 to 3600.")
    int signalLifetimeSeconds() default 300;

    @AttributeDefinition(name = "Replay window (seconds)",
            description = "Answered challenges are remembered this long and refused if presented again. At least"
                    + " the session nonce lifetime (60 s). 60 to 86400.")
    int replayWindowSeconds() default 600;

    @AttributeDefinition(name = "Remembered challenges",
            description = "At most this many answered challenges are remembered; the oldest are forgotten first."
                    + " 1000 to 10000000.")
    int maxRememberedChallenges() default 100_000;
}
