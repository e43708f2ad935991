package io.enigm.server.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Who may read the Prometheus endpoint. */
@ObjectClassDefinition(name = "Enigm Server metrics endpoint",
        description = "The Prometheus text endpoint at /metrics: request and decision counts, commit, audit and"
                + " job timings, webhook outbox depth and the JVM. It names routes and categories, never"
                + " environments, members or tokens.")
public @interface MetricsConfiguration {

    String PID = "io.enigm.server.metrics";

    /** Whether a request needs the metrics token, or only has to come from loopback. */
    enum Access {
        TOKEN, LOOPBACK
    }

    @AttributeDefinition(name = "Access", description = "TOKEN: a request needs 'Authorization: Bearer' with the"
            + " token in <home>/secrets/metrics-token (written on first start; delete it and restart the bundle to"
            + " rotate). LOOPBACK: a request from and to a loopback address needs no token; never choose it when"
            + " a reverse proxy on the same host forwards other people's requests.",
            options = { @Option(label = "Token", value = "TOKEN"), @Option(label = "Loopback", value = "LOOPBACK") })
    Access access() default Access.TOKEN;
}
