package io.enigm.server.membership;

/**
 * The answer to a submission. It has the same shape whether or not the server ID exists.
 *
 * @param id               the request's id, which the device follows with signed requests
 * @param state            {@link JoinRequestState#PENDING}, or {@link JoinRequestState#APPROVED} with a
 *                         valid invite code
 * @param verificationCode a code derived under a server secret from the device key and the request id,
 *                         which the requester and the reviewing administrator compare out of band
 * @param deviceFingerprint the device key's fingerprint in the environment, as the administrator sees it
 */
public record JoinReceipt(String id, JoinRequestState state, String verificationCode, String deviceFingerprint) {
}
