package io.enigm.server.http.internal;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.audit.AuditOutcome;

/**
 * Whether an administrator may call a route, from the route's declared {@link Access}: its scope,
 * then its roles. Deny by default, and every denial is audited. A token scoped to another environment
 * learns nothing: the environment answers 404 exactly as one that never existed.
 */
final class RouteAuthorization {

    private final RequestAudit audit;

    RouteAuthorization(RequestAudit audit) {
        this.audit = audit;
    }

    /** @throws ApiProblem 403, or 404 for an environment the token does not reach */
    void authorize(RouteTable.Match match, AdminPrincipal principal) {
        Route route = match.route();
        Access access = route.access();
        String environmentId = match.parameters().get("env");
        switch (access.scope()) {
            case ENVIRONMENT -> {
                if (!principal.reaches(environmentId)) {
                    audit.record(route, principal, principal.environmentId(), environmentId, AuditOutcome.DENIED,
                            "SCOPE");
                    throw ApiProblem.notFound("environment not found");
                }
            }
            case INSTALLATION -> {
                if (!principal.role().isInstallationWide()) {
                    audit.record(route, principal, principal.environmentId(), null, AuditOutcome.DENIED, "SCOPE");
                    throw ApiProblem.forbidden("this needs an installation-wide token");
                }
            }
            default -> {
                // any administrator: the handler narrows what it shows to the caller's scope
            }
        }
        if (!access.roles().contains(principal.role())) {
            audit.record(route, principal, environmentId != null ? environmentId : principal.environmentId(),
                    environmentId, AuditOutcome.DENIED, "ROLE");
            throw ApiProblem.forbidden("the role " + principal.role() + " may not do this");
        }
    }
}
