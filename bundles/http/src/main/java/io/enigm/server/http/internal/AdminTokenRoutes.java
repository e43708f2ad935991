package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.OWNER;

import java.time.Duration;
import java.util.List;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminToken;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.http.internal.Route.Operation;

/** Admin tokens: mint (shown once), list (never the token), revoke (with the PIN, and all they minted). */
final class AdminTokenRoutes {

    record MintToken(String role, String environmentId, Long ttlSeconds, String label) {
    }

    record MintedTokenView(String id, String token, String role, String environmentId, String label,
            String expiresAt) {

        static MintedTokenView of(MintedToken minted) {
            return new MintedTokenView(minted.id(), minted.token(), minted.principal().role().name(),
                    minted.principal().environmentId(), minted.principal().label(),
                    minted.expiresAt() == null ? null : minted.expiresAt().toString());
        }
    }

    record AdminTokenView(String id, String label, String role, String environmentId, String issuedBy,
            String createdAt, String expiresAt, String lastUsedAt, String revokedAt) {

        static AdminTokenView of(AdminToken token) {
            return new AdminTokenView(token.id(), token.label(), token.role().name(), token.environmentId(),
                    token.issuedBy(), text(token.createdAt()), text(token.expiresAt()), text(token.lastUsedAt()),
                    text(token.revokedAt()));
        }

        private static String text(java.time.Instant instant) {
            return instant == null ? null : instant.toString();
        }
    }

    private static final Access ISSUERS = Access.anyScope(OWNER, ADMINISTRATOR);

    private final AdminTokens tokens;

    AdminTokenRoutes(AdminTokens tokens) {
        this.tokens = tokens;
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/admin-tokens", "admin-token.create", ISSUERS,
                        new Operation("Mint an admin token of equal or lower reach; the token is shown once",
                                "MintToken", 201, "MintedToken", List.of()),
                        this::mint).idempotent(Route.Idempotency.SECRET_SHOWN_ONCE),
                new Route("GET", "/admin-tokens", "admin-token.list", ISSUERS,
                        new Operation("Admin tokens in the caller's scope, never the tokens themselves", null, 200,
                                "AdminTokenPage", List.of("cursor", "limit")),
                        call -> Reply.ok(Views.PageView.of(tokens.list(call.principal(), call.page()),
                                AdminTokenView::of))),
                new Route("DELETE", "/admin-tokens/{token}", "admin-token.revoke",
                        Access.anyAdministrator(),
                        new Operation("Remove an administrator: revoke a token and every token minted from it,"
                                + " transitively (a token it was minted from, or the owner); needs the critical-operation PIN in"
                                + " X-Enigm-Confirm", null, 204, null, List.of(Route.CONFIRM_HEADER)),
                        this::revoke));
    }

    private Reply mint(Call call) {
        MintToken request = call.body(MintToken.class);
        AdminRole role = role(request.role());
        Duration ttl = request.ttlSeconds() == null ? null : Duration.ofSeconds(request.ttlSeconds());
        if (ttl != null && request.ttlSeconds() <= 0) {
            throw new InvalidRequestException("ttlSeconds", "must be positive");
        }
        MintedToken minted = tokens.issue(call.principal(), role, request.environmentId(), ttl, request.label());
        call.target(minted.id());
        return new Reply(201, MintedTokenView.of(minted), null);
    }

    private Reply revoke(Call call) {
        call.target(call.path("token"));
        tokens.revoke(call.principal(), call.path("token"), call.header(Route.CONFIRM_HEADER));
        return Reply.noContent();
    }

    private static AdminRole role(String name) {
        if (name == null) {
            throw new InvalidRequestException("role", "is required");
        }
        try {
            return AdminRole.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("role", "must be one of " + List.of(AdminRole.values()));
        }
    }
}
