package io.enigm.server.http.internal;

import java.util.Optional;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminTokens;

/**
 * Who calls an administrative route: the administrator whose admin token the request carries as
 * {@code Authorization: Bearer}. A request without a valid one is refused 401 and audited in bounded
 * form ({@link UnauthenticatedRefusals}), since anyone can send such requests.
 */
final class AdminAuthentication {

    private static final String BEARER = "Bearer ";

    private final AdminTokens tokens;
    private final UnauthenticatedRefusals refusals;

    AdminAuthentication(AdminTokens tokens, UnauthenticatedRefusals refusals) {
        this.tokens = tokens;
        this.refusals = refusals;
    }

    /**
     * @param authorization the request's {@code Authorization} header, or {@code null}
     * @throws ApiProblem 401 without a valid admin token
     */
    AdminPrincipal authenticate(String authorization, RouteTable.Match match) {
        AdminPrincipal principal = find(authorization).orElse(null);
        if (principal == null) {
            refusals.refused(match.route().action(), match.parameters().get("env"));
            throw ApiProblem.unauthorized("a valid admin token is required");
        }
        return principal;
    }

    /** The administrator of the header's admin token, if it carries a valid one; nothing is recorded. */
    Optional<AdminPrincipal> find(String authorization) {
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        return bearer ? tokens.authenticate(authorization.substring(BEARER.length()).strip()) : Optional.empty();
    }
}
