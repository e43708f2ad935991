package io.enigm.server.http.internal;

import java.util.List;
import java.util.Map;

import io.enigm.server.membership.SessionGrant;
import io.enigm.server.membership.SessionProof;
import io.enigm.server.membership.SessionTokens;
import io.enigm.server.http.internal.Route.Operation;

/**
 * The app's device-signed session routes. They are public as far as administrators go: the device
 * proves itself with a signed nonce (and, to renew, its session token), which the service checks.
 */
final class SessionRoutes {

    private final SessionTokens sessions;

    SessionRoutes(SessionTokens sessions) {
        this.sessions = sessions;
    }

    /** A device's proof: the nonce it signed, the signature, and evidence by provider type. */
    record OpenSession(String deviceId, String nonce, String signature, Map<String, Map<String, Object>> evidence) {
    }

    /** A renewal's proof; the device is the session's, so {@code deviceId} may be left out. */
    record RenewSession(String deviceId, String nonce, String signature, Map<String, Map<String, Object>> evidence) {
    }

    /** The one answer that carries a session token. */
    record SessionGrantView(String decision, String sessionId, String sessionToken, String expiresAt,
            List<String> warnings, long policyVersion) {

        static SessionGrantView of(SessionGrant grant) {
            return new SessionGrantView("ALLOW", grant.sessionId(), grant.token(), grant.expiresAt().toString(),
                    grant.warnings(), grant.policyVersion());
        }
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/environments/{env}/sessions", "session.open",
                        Access.provenBy(CallerProof.DEVICE_SIGNED_BODY),
                        new Operation("Open a session with a signed nonce, under the environment's policy",
                                "OpenSession", 201, "SessionGrant", List.of()),
                        this::open),
                new Route("POST", "/environments/{env}/sessions/{session}/renew", "session.renew",
                        Access.provenBy(CallerProof.SESSION_TOKEN),
                        new Operation("Renew a session with its token and a signed nonce, under the policy in force",
                                "RenewSession", 200, "SessionGrant", List.of()),
                        this::renew));
    }

    private Reply open(Call call) {
        OpenSession request = call.body(OpenSession.class);
        SessionGrant grant = sessions.open(call.path("env"),
                new SessionProof(request.deviceId(), request.nonce(), request.signature(), request.evidence()));
        return Reply.created("/environments/" + call.path("env") + "/sessions/" + grant.sessionId(),
                SessionGrantView.of(grant));
    }

    private Reply renew(Call call) {
        String token = bearer(call.header("Authorization"));
        if (token == null) {
            throw ApiProblem.unauthorized("the session token is required");
        }
        RenewSession request = call.body(RenewSession.class);
        SessionGrant grant = sessions.renew(call.path("env"), call.path("session"), token,
                new SessionProof(request.deviceId(), request.nonce(), request.signature(), request.evidence()));
        return Reply.ok(SessionGrantView.of(grant));
    }

    /** The token of an {@code Authorization: Bearer} header, or {@code null}. */
    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }
}
