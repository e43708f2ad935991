package io.enigm.server.environment.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Enigm Server admin tokens",
        description = "Bearer tokens of the Command API's administrators.")
public @interface AdminTokenConfiguration {

    String PID = "io.enigm.server.admintokens";

    @AttributeDefinition(name = "Longest lifetime (days)",
            description = "Tokens minted through the API expire at most this long after minting.", min = "1")
    int maxTtlDays() default 365;
}
