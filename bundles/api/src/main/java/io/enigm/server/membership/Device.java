package io.enigm.server.membership;

import java.time.Instant;

/**
 * A member's device, shown by minimized identifiers only.
 *
 * @param handle      the device key's per-environment handle (HMAC)
 * @param fingerprint a short form of {@code handle} for people to compare
 * @param replacedBy  the device that superseded it, or {@code null}
 */
public record Device(String id, String environmentId, String memberId, String handle, String fingerprint,
        DeviceTrust trust, Instant createdAt, Instant updatedAt, String replacedBy) {
}
