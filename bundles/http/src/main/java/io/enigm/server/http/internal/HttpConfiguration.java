package io.enigm.server.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Enigm Server Command API",
        description = "The JSON API under /api/v1 used by Enigm Command and the Enigm app.")
public @interface HttpConfiguration {

    String PID = "io.enigm.server.http";

    @AttributeDefinition(name = "Largest request body (bytes)",
            description = "Bodies over this size are refused with 413 before they are read.", min = "1024")
    int maxBodyBytes() default 65536;
}
