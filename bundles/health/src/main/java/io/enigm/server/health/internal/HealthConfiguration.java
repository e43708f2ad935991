package io.enigm.server.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Thresholds of the installation's health checks. */
@ObjectClassDefinition(name = "Enigm Server health checks",
        description = "When the data home's free space and an attestation provider's failures make the"
                + " installation's health WARN or CRITICAL.")
public @interface HealthConfiguration {

    String PID = "io.enigm.server.health";

    @AttributeDefinition(name = "Free space to warn below (MiB)", min = "1",
            description = "The data home's file system has less free space than this: WARN.")
    long warnFreeMegabytes() default 1024;

    @AttributeDefinition(name = "Free space to fail below (MiB)", min = "1",
            description = "Less free space than this: CRITICAL (writes may soon fail). At most the warning level.")
    long criticalFreeMegabytes() default 128;

    @AttributeDefinition(name = "Provider failures to fail at (%)", min = "1", max = "100",
            description = "A provider that failed, timed out or was overloaded in at least this share of its"
                    + " evaluations since the last check is CRITICAL; any failure at all is a WARN.")
    int providerCriticalPercent() default 50;
}
