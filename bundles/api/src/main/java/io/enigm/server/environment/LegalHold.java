package io.enigm.server.environment;

import java.time.Instant;

/**
 * A legal hold: while it lasts, nothing it covers is deleted, whether by lifetime, retention, a
 * deletion or the environment's own deletion.
 *
 * @param environmentId the environment held, or the member's environment
 * @param memberId      the member held, or {@code null} for a hold on the whole environment
 * @param reason        why, as the owner wrote it (at most {@link #MAX_REASON_LENGTH} characters)
 * @param placedAt      when it was placed (or last replaced)
 * @param until         when it stops covering by itself, or {@code null} until it is lifted
 */
public record LegalHold(String environmentId, String memberId, String reason, Instant placedAt, Instant until) {

    public static final int MAX_REASON_LENGTH = 500;

    /** Whether the hold still covers at {@code now}. */
    public boolean coversAt(Instant now) {
        return until == null || until.isAfter(now);
    }
}
