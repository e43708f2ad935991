package io.enigm.server.provider.posture.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about Enigm OS posture statements. */
@ObjectClassDefinition(name = "Enigm Server OS posture provider",
        description = "Verifies Enigm OS's Ed25519-signed posture statements: patch age, verified boot, integrity.")
public @interface OsPostureConfiguration {

    String PID = "io.enigm.server.provider.osposture";

    @AttributeDefinition(name = "Enigm OS signing key",
            description = "Standard Base64 of the Ed25519 public key (X.509 SubjectPublicKeyInfo) that signs"
                    + " posture statements. Required: without it the provider does not start.")
    String signingPublicKey() default "";

    @AttributeDefinition(name = "Maximum patch age (days)",
            description = "A device whose security patch is older than this fails with PATCH_AGE. 1 to 3650.")
    int maxPatchAgeDays() default 90;

    @AttributeDefinition(name = "Statement freshness (seconds)",
            description = "A statement issued longer ago than this is stale: the signal is UNKNOWN. 60 to 604800.")
    int freshnessSeconds() default 3600;

    @AttributeDefinition(name = "Clock skew (seconds)",
            description = "A statement issued further than this in the future is refused. 0 to 600.")
    int clockSkewSeconds() default 300;

    @AttributeDefinition(name = "Devices remembered for review",
            description = "The last verified posture of at most this many devices is kept in memory for"
                    + " administrators. 100 to 1000000.")
    int maxRememberedDevices() default 100_000;
}
