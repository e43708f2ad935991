package io.enigm.server.environment.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Enigm Server erasure of deleted environments",
        description = "How often the data of deleted environments without a legal hold is erased from the store.")
public @interface ErasureConfiguration {

    String PID = "io.enigm.server.environment.erasure";

    @AttributeDefinition(name = "Erasure interval (seconds)",
            description = "Seconds between runs, 1 to 3600. Deleted data is unavailable at once; this is when"
                    + " it leaves the database file.", min = "1", max = "3600")
    int erasureIntervalSeconds() default 60;
}
