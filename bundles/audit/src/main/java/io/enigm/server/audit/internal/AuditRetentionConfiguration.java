package io.enigm.server.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How long audit records are kept. */
@ObjectClassDefinition(name = "Enigm Server audit retention",
        description = "Audit records older than the retention period are removed in whole spans up to a signed"
                + " checkpoint, which is kept: the records that remain still verify from it.")
public @interface AuditRetentionConfiguration {

    String PID = "io.enigm.server.audit.retention";

    @AttributeDefinition(name = "Retention (days)",
            description = "Records are kept at least this many days; 0 keeps every record for ever. 0 to 36500.",
            min = "0", max = "36500")
    int retentionDays() default 0;

    @AttributeDefinition(name = "Sweep interval (seconds)",
            description = "How often records past the retention are looked for, 1 to 86400.", min = "1", max = "86400")
    int sweepIntervalSeconds() default 3600;

    @AttributeDefinition(name = "Records removed per transaction",
            description = "Short transactions keep the database's one writer free for requests, 1 to 100000.",
            min = "1", max = "100000")
    int chunk() default 5000;
}
