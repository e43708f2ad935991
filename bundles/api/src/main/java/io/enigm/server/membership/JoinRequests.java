package io.enigm.server.membership;

import java.util.concurrent.CompletableFuture;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Join requests: submitted by a device holding a server ID, followed and cancelled by that device
 * with requests signed by its key, decided by membership administrators.
 *
 * <p>A device signature header is {@code <unix seconds>.<Base64 Ed25519 signature>} over the UTF-8 of
 * {@code enigm-join-v1\n<request id>\n<METHOD>\n<unix seconds>}, accepted within 60 seconds of the
 * server's clock.
 */
@ProviderType
public interface JoinRequests {

    /**
     * Files a request without waiting for it: the receipt comes once the request is durable. An
     * invite code approves on arrival only a request for an account that is not yet a live member;
     * any other request waits for an administrator. The same account with the same key while its
     * request is pending is that request again (a retry changes nothing); with another key it is a
     * separate request.
     * Answers the same shape whether or not the server ID belongs to an active environment, and
     * with a configured answer floor after the same time; for an unknown one nothing is stored and
     * nothing waits for a commit. The future's dependent actions
     * may run on the database's writer thread, so they must only hand off (see
     * {@link io.enigm.server.store.Database#submit}).
     *
     * @return the receipt, or a failure with {@link io.enigm.server.common.RateLimitedException} if the
     *         environment's pending queue is full
     * @throws io.enigm.server.common.InvalidRequestException if a field breaks a rule (e.g. the key is
     *         not Ed25519)
     */
    CompletableFuture<JoinReceipt> submit(JoinSubmission submission);

    /**
     * The request as its device sees it.
     *
     * @param signature the {@code X-Enigm-Signature} header of a {@code GET}
     * @throws io.enigm.server.common.AuthenticationFailedException if the signature is missing, stale or wrong
     * @throws io.enigm.server.common.NotFoundException if there is no such request, or its key was erased
     */
    JoinRequest follow(String requestId, String signature);

    /**
     * Cancels a pending request on behalf of its device.
     *
     * @param signature the {@code X-Enigm-Signature} header of a {@code DELETE}
     * @throws io.enigm.server.common.ConflictException if the request is no longer pending
     */
    void cancel(String requestId, String signature);

    /** An environment's requests in one state, oldest first. */
    Page<JoinRequest> list(String environmentId, JoinRequestState state, PageRequest page);

    /** One of an environment's requests. */
    JoinRequest get(String environmentId, String requestId);

    /**
     * Approves a pending request as the administrator checked it. A request for a new account makes
     * an {@link MemberState#ACTIVE} member whose device is enrolled in the environment's new-device
     * trust state; a request whose account already has a live member adds a
     * {@link DeviceTrust#PENDING} device to that member, whatever the environment's setting.
     *
     * @param deviceFingerprint the fingerprint the administrator compared
     * @throws io.enigm.server.common.InvalidRequestException if the fingerprint is missing
     * @throws io.enigm.server.common.ConflictException if the fingerprint is not the request's, the
     *         request is not pending, the environment is not active, or the device key is already enrolled
     */
    JoinRequest approve(String environmentId, String requestId, String deviceFingerprint);

    /**
     * Rejects a pending request, keeping only what the audit needs.
     *
     * @throws io.enigm.server.common.ConflictException if the request is not pending
     */
    JoinRequest reject(String environmentId, String requestId);
}
