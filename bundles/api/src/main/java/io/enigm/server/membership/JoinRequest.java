package io.enigm.server.membership;

import java.time.Instant;

/**
 * A join request as administrators and the requesting device see it: handles and derived codes
 * only, never the raw account handle or device key.
 *
 * @param id                the request's id
 * @param environmentId     the environment asked to join
 * @param state             where it is in its lifecycle
 * @param displayName       the requester's chosen name while pending, otherwise {@code null}
 * @param verificationCode  the code to compare out of band while the device key is kept, otherwise {@code null}
 * @param deviceFingerprint a short per-environment fingerprint of the device key, or {@code null}
 *                          once the key is erased
 * @param createdAt         when it arrived
 * @param expiresAt         when a pending request expires
 * @param decidedAt         when it left {@link JoinRequestState#PENDING}, or {@code null}
 * @param memberId          the member it made or joined, once approved
 * @param deviceId          the device it enrolled, once approved
 * @param existingMemberId  while pending, the live member the request's account already is: approving
 *                          it adds a {@link DeviceTrust#PENDING} device to that member; otherwise {@code null}
 */
public record JoinRequest(String id, String environmentId, JoinRequestState state, String displayName,
        String verificationCode, String deviceFingerprint, Instant createdAt, Instant expiresAt, Instant decidedAt,
        String memberId, String deviceId, String existingMemberId) {
}
