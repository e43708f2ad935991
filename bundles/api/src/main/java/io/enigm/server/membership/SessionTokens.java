package io.enigm.server.membership;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.enigm.server.policy.AccessAction;

/**
 * The app's side of sessions: a device proves it holds its enrolled key by signing a nonce from
 * {@link Sessions#challenge}, the environment's policy decides, and an allowed device gets a
 * short-lived bearer token. Every refusal names decision categories only.
 */
@ProviderType
public interface SessionTokens {

    /**
     * Opens a session after a new access decision.
     *
     * @throws io.enigm.server.common.AuthenticationFailedException the nonce is unknown, used, expired or
     *         issued for another device or environment, or the signature does not verify (401)
     * @throws io.enigm.server.common.AccessDeniedException the member or device may not open sessions, or
     *         the policy denied (403) or asks for a step-up (401), with the decision's categories
     */
    SessionGrant open(String environmentId, SessionProof proof);

    /**
     * Renews an open session under the policy in force now: a new token and expiry replace the old
     * ones. A denial closes the session.
     *
     * @param token the session's current bearer token
     * @throws io.enigm.server.common.AuthenticationFailedException as {@link #open}, or the token is not
     *         the open session's
     * @throws io.enigm.server.common.AccessDeniedException as {@link #open}
     */
    SessionGrant renew(String environmentId, String sessionId, String token, SessionProof proof);

    /**
     * The device behind a bearer token, only while its session is open and unexpired, its member
     * ACTIVE and its device TRUSTED: a revocation takes effect on the next request.
     */
    Optional<SessionPrincipal> authenticate(String token);

    /**
     * The device behind a bearer token as {@link #authenticate(String)} finds it, only when its session
     * is one of {@code environmentId}. A token live in another environment is refused like any other
     * and raised as a {@code TOKEN_OUTSIDE_SCOPE} security event in the environment it belongs to.
     *
     * @throws io.enigm.server.common.AuthenticationFailedException the token is not an open session of
     *         this environment's TRUSTED device of an ACTIVE member (401)
     * @since 3.5
     */
    SessionPrincipal authenticate(String token, String environmentId);

    /**
     * Authenticates the session as {@link #authenticate} does, then asks the environment's policy
     * whether its device may do {@code action} on {@code resourceCategory}, as a session's own
     * decision is asked (report-only, grace, the time the device last proved its key). A refusal
     * is audited and counted as a security event; a token live in another environment is raised as
     * {@link #authenticate(String, String)} raises it.
     *
     * @param resourceCategory the kind of resource, in lower case (for content, the surface)
     * @return the device, allowed
     * @throws io.enigm.server.common.AuthenticationFailedException the token is not an open session of
     *         this environment's TRUSTED device of an ACTIVE member (401)
     * @throws io.enigm.server.common.AccessDeniedException the policy denied (403) or asks for a
     *         step-up (401), with the decision's categories
     * @since 3.1
     */
    SessionPrincipal authorize(String token, String environmentId, AccessAction action, String resourceCategory);
}
