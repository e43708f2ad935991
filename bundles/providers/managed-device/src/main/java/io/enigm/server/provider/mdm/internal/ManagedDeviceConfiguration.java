package io.enigm.server.provider.mdm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about managed-device reports. */
@ObjectClassDefinition(name = "Enigm Server managed-device provider",
        description = "Takes enrollment and compliance reports signed with HMAC-SHA256 by the managed-device"
                + " service, which calls back to the Command API.")
public @interface ManagedDeviceConfiguration {

    String PID = "io.enigm.server.provider.manageddevice";

    @AttributeDefinition(name = "Report signing secret", type = AttributeType.PASSWORD,
            description = "The HMAC-SHA256 secret shared with the managed-device service, at least 32 characters."
                    + " Required: without it the provider does not start.")
    String hmacSecret() default "";

    @AttributeDefinition(name = "Report window (hours)",
            description = "A device without a report for this long is UNKNOWN. 1 to 720.")
    int reportWindowHours() default 24;

    @AttributeDefinition(name = "Clock skew (seconds)",
            description = "A report whose reportedAt is further than this in the past is refused (one dated more"
                    + " than 5 s in the future always is). 30 to 900.")
    int clockSkewSeconds() default 300;
}
