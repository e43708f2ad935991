package io.enigm.server.http.internal;

import java.util.List;
import java.util.function.Supplier;

import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.http.internal.Views.Health;
import io.enigm.server.work.UnitOfWork;

/** The installation's public routes: health and the OpenAPI document. */
final class InstallationRoutes {

    private final UnitOfWork work;
    private final String version;
    private final Supplier<Object> openApiDocument;

    InstallationRoutes(UnitOfWork work, String version, Supplier<Object> openApiDocument) {
        this.work = work;
        this.version = version;
        this.openApiDocument = openApiDocument;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/health", "health", Access.anyone(),
                        new Operation("Whether every core service is ready", null, 200, "Health", List.of()),
                        this::health),
                new Route("GET", "/openapi.json", "openapi", Access.anyone(),
                        new Operation("This OpenAPI document", null, 200, null, List.of()),
                        call -> Reply.ok(openApiDocument.get())));
    }

    /** This servlet is registered only while every core service is; the store must also answer. */
    private Reply health(Call call) {
        work.probe();
        return Reply.ok(new Health("UP", version));
    }
}
