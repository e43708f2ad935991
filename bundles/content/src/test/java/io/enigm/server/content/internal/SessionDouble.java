package io.enigm.server.content.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.membership.SessionGrant;
import io.enigm.server.membership.SessionPrincipal;
import io.enigm.server.membership.SessionProof;
import io.enigm.server.membership.SessionTokens;
import io.enigm.server.policy.AccessAction;

/**
 * Sessions as the content service sees them: a collaborator owned by the membership bundle (whose
 * tests cover authentication and decisions), here answering from the tokens the test hands out and
 * keeping what it was asked. The Pax Exam tests run the service against the real one.
 */
final class SessionDouble implements SessionTokens {

    /** A question the service asked: which action on which category. */
    record Asked(AccessAction action, String category) {
    }

    final Map<String, SessionPrincipal> live = new ConcurrentHashMap<>();
    /** What the policy denies: {@code "<action> <category>"}. */
    final Set<String> denied = ConcurrentHashMap.newKeySet();
    final List<Asked> asked = new CopyOnWriteArrayList<>();

    String session(String environmentId, String memberId, String deviceId) {
        String token = "token-" + live.size();
        live.put(token, new SessionPrincipal(environmentId, memberId, deviceId, "session-" + token, null));
        return token;
    }

    @Override
    public SessionGrant open(String environmentId, SessionProof proof) {
        throw new UnsupportedOperationException("content never opens sessions");
    }

    @Override
    public SessionGrant renew(String environmentId, String sessionId, String token, SessionProof proof) {
        throw new UnsupportedOperationException("content never renews sessions");
    }

    @Override
    public Optional<SessionPrincipal> authenticate(String token) {
        return Optional.ofNullable(token == null ? null : live.get(token));
    }

    @Override
    public SessionPrincipal authenticate(String token, String environmentId) {
        return authenticate(token).filter(p -> p.environmentId().equals(environmentId))
                .orElseThrow(() -> new AuthenticationFailedException("the session token is not accepted"));
    }

    @Override
    public SessionPrincipal authorize(String token, String environmentId, AccessAction action,
            String resourceCategory) {
        SessionPrincipal principal = authenticate(token, environmentId);
        asked.add(new Asked(action, resourceCategory));
        if (denied.contains(action + " " + resourceCategory)) {
            throw new AccessDeniedException("the policy denies this", false, List.of("OS_POSTURE"));
        }
        return principal;
    }
}
