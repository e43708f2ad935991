package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.OWNER;

import java.util.List;
import java.util.function.Supplier;

import io.enigm.server.health.HealthReport;
import io.enigm.server.health.InstallationHealth;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.http.internal.Views.Health;

/** The installation's routes: its public health, the administrators' detailed health, the OpenAPI document. */
final class InstallationRoutes {

    private final InstallationHealth health;
    private final String version;
    private final Supplier<Object> openApiDocument;

    InstallationRoutes(InstallationHealth health, String version, Supplier<Object> openApiDocument) {
        this.health = health;
        this.version = version;
        this.openApiDocument = openApiDocument;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/health", "health", Access.anyone(),
                        new Operation("Whether the installation serves: UP (200) while every core service's check is OK"
                                + " or WARN, DOWN (503) otherwise; which check is not, only in the detailed view", null, 200,
                                "Health", List.of()),
                        this::health),
                new Route("GET", "/health/checks", "health.checks", Access.installation(OWNER),
                        new Operation("Every health check of the installation (core services, active providers)"
                                + " with its status and what it found", null, 200, "HealthReport", List.of()),
                        call -> Reply.ok(health.check())),
                new Route("GET", "/openapi.json", "openapi", Access.anyone(),
                        new Operation("This OpenAPI document", null, 200, null, List.of()),
                        call -> Reply.ok(openApiDocument.get())));
    }

    /** Anyone may ask: only the core services' checks run, and the answer names none of them. */
    private Reply health(Call call) {
        HealthReport report = health.core();
        return report.serves() ? Reply.ok(new Health("UP", version))
                : new Reply(503, new Health("DOWN", version), null, null);
    }
}
