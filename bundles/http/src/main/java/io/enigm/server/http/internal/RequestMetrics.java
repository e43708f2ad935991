package io.enigm.server.http.internal;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Times each API request, from its context's first look to its answer (after the commit, for one
 * answered once durable), in {@value #METER} by route, method and status. Every tag comes from a
 * bounded set: a route's action, or {@code unmatched}; a method the API knows, or {@code OTHER};
 * a status code. Nothing a caller sends becomes a tag of its own.
 */
final class RequestMetrics {

    static final String METER = "enigm.http.requests";
    private static final String STARTED = RequestMetrics.class.getName() + ".started";
    private static final String ROUTE = RequestMetrics.class.getName() + ".route";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterProvider<Timer> requests;

    RequestMetrics(MeterRegistry meters) {
        this.requests = Timer.builder(METER).description("API requests, by route, method and status")
                .withRegistry(meters);
    }

    /** Marks the request's start. */
    static void started(HttpServletRequest request) {
        request.setAttribute(STARTED, System.nanoTime());
    }

    /** Names the route the request was matched to. */
    static void routed(HttpServletRequest request, Route route) {
        request.setAttribute(ROUTE, route.action());
    }

    /** Records the request as answered with the response's status now. */
    void answered(HttpServletRequest request, HttpServletResponse response) {
        if (!(request.getAttribute(STARTED) instanceof Long started)) {
            return;
        }
        request.removeAttribute(STARTED);
        String route = request.getAttribute(ROUTE) instanceof String action ? action : "unmatched";
        String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "OTHER";
        requests.withTags("route", route, "method", method, "status", Integer.toString(response.getStatus()))
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
}
