package io.enigm.server.http.internal;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.work.UnitOfWork;

/**
 * Whether an administrator may call a route, from the route's declared {@link Access}: its scope,
 * then its roles. Deny by default, and every denial is audited. A token scoped to another environment
 * learns nothing: the environment answers 404 exactly as one that never existed. An environment's
 * token used outside its environment is also a security event of that environment, recorded with
 * the denial's audit record.
 */
final class RouteAuthorization {

    private final RequestAudit audit;
    private final UnitOfWork work;
    private final SecurityEventRecorder events;

    RouteAuthorization(RequestAudit audit, UnitOfWork work, SecurityEventRecorder events) {
        this.audit = audit;
        this.work = work;
        this.events = events;
    }

    /** @throws ApiProblem 403, or 404 for an environment the token does not reach */
    void authorize(RouteTable.Match match, AdminPrincipal principal) {
        Route route = match.route();
        Access access = route.access();
        String environmentId = match.parameters().get("env");
        switch (access.scope()) {
            case ENVIRONMENT -> {
                if (!principal.reaches(environmentId)) {
                    outsideScope(route, principal, environmentId);
                    throw ApiProblem.notFound("environment not found");
                }
            }
            case INSTALLATION -> {
                if (!principal.isInstallationWide()) {
                    outsideScope(route, principal, null);
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

    /**
     * The denial of an environment's token outside its environment: audited and, in the same unit, a
     * security event of the token's own environment naming the token by its id (the environment it
     * tried stays out of the event, so the event tells its reviewers nothing of other environments).
     */
    private void outsideScope(Route route, AdminPrincipal principal, String target) {
        work.run(() -> {
            events.record(principal.environmentId(), SecurityEventCategory.TOKEN_OUTSIDE_SCOPE, principal.tokenId());
            return null;
        }, ignored -> RequestAudit.entry(route, principal, principal.environmentId(), target, AuditOutcome.DENIED,
                "SCOPE"));
    }
}
