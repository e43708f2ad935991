package io.enigm.server.http.internal.jetty;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Enigm Server HTTP connector",
        description = "Limits that every HTTP connector of the server enforces before a request reaches an"
                + " application: open connections, new connections per second, and the slowest request body"
                + " accepted. Port, bind address, idle timeout and header size are Felix HTTP's settings.")
public @interface ConnectorConfiguration {

    String PID = "io.enigm.server.http.connector";

    @AttributeDefinition(name = "Open connections at most",
            description = "Beyond this many open connections the server stops accepting new ones until one"
                    + " closes; they wait in the operating system's accept queue.", min = "1")
    int maxConnections() default 1024;

    @AttributeDefinition(name = "New connections per second at most",
            description = "Beyond this rate, averaged over one second, the server pauses accepting.", min = "1")
    int maxAcceptsPerSecond() default 1000;

    @AttributeDefinition(name = "Slowest request body (bytes per second)",
            description = "A request whose body arrives slower than this is failed with 408, so a client"
                    + " trickling bytes cannot hold a thread. 0 (the default) disables the check: Jetty"
                    + " measures from the body's first byte to each read, so a small body that the server"
                    + " reads late under load also counts as slow.", min = "0")
    long minRequestBytesPerSecond() default 0;
}
