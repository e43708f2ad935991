package io.enigm.server.membership;

import java.time.Instant;

/**
 * A member of an environment.
 *
 * @param id            opaque identifier used in paths
 * @param accountHandle the account's per-environment handle (HMAC), never the raw account handle
 * @param role          the member's role, {@link #DEFAULT_ROLE} unless changed
 */
public record Member(String id, String environmentId, String accountHandle, String role, MemberState state,
        Instant createdAt, Instant updatedAt) {

    public static final String DEFAULT_ROLE = "MEMBER";
}
