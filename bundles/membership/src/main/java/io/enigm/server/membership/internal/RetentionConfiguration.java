package io.enigm.server.membership.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How long membership's records outlive their use, and how often the sweeper deletes older ones. */
@ObjectClassDefinition(name = "Enigm Server membership retention",
        description = "Ended sessions, decided join requests and security events are deleted once older than"
                + " their retention, except in environments under a legal hold. Each deletion is audited.")
public @interface RetentionConfiguration {

    String PID = "io.enigm.server.membership.retention";

    @AttributeDefinition(name = "Ended sessions (days)",
            description = "Days a closed or expired session is kept, 1 to 3650.", min = "1", max = "3650")
    int sessionRetentionDays() default 30;

    @AttributeDefinition(name = "Decided join requests (days)",
            description = "Days an approved, rejected, cancelled or expired join request is kept, 1 to 3650. The"
                    + " requesting device can follow it until then.", min = "1", max = "3650")
    int joinRequestRetentionDays() default 30;

    @AttributeDefinition(name = "Security events (days)",
            description = "Days a security event is kept for review and Enigm Intelligence, 1 to 3650.",
            min = "1", max = "3650")
    int securityEventRetentionDays() default 365;

    @AttributeDefinition(name = "Sweep interval (seconds)",
            description = "Seconds between sweeps, 60 to 86400.", min = "60", max = "86400")
    int sweepIntervalSeconds() default 3600;
}
