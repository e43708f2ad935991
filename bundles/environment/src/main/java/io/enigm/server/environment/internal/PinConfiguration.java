package io.enigm.server.environment.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Enigm Server critical-operation PIN",
        description = "How the PIN that confirms high-impact actions is hashed, and how long wrong guesses lock it.")
public @interface PinConfiguration {

    String PID = "io.enigm.server.pin";

    @AttributeDefinition(name = "PBKDF2 iterations",
            description = "PBKDF2-HMAC-SHA256 iterations for a newly set PIN; aim for 100-200 ms per check on"
                    + " this machine. Existing hashes keep their count until the PIN is changed.",
            min = "100000")
    int iterations() default HashedCriticalOperationPin.DEFAULT_ITERATIONS;

    @AttributeDefinition(name = "First lockout (seconds)",
            description = "How long attempts are refused after five consecutive wrong PINs; doubles with each"
                    + " further wrong PIN.", min = "1")
    int lockoutSeconds() default 30;

    @AttributeDefinition(name = "Longest lockout (seconds)",
            description = "The doubling lockout stops growing here.", min = "1")
    int maxLockoutSeconds() default 3600;
}
