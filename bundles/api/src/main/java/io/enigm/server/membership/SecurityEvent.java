package io.enigm.server.membership;

import java.time.Instant;

/**
 * A minimized security signal for review and Enigm Intelligence: a category, a risk class and the
 * subject's per-environment handle, never a token, nonce, signature, content or raw identifier. A
 * signal is input for review, not a verdict.
 *
 * @param environmentId the environment it happened in, {@code null} for the installation's own (the
 *                      critical-operation PIN)
 * @param category      what happened, a {@link io.enigm.server.security.SecurityEventCategory}, e.g.
 *                      {@code SESSION_SIGNATURE_FORGED}
 * @param risk          {@code LOW}, {@code MEDIUM}, {@code HIGH} or {@code CRITICAL}
 * @param subjectHandle the device key's handle in this environment (an admin token's id for
 *                      {@code TOKEN_OUTSIDE_SCOPE}), {@code null} when none is known or the event
 *                      counts several refusals
 * @param createdAt     when it happened, to the minute
 * @param occurrences   how many times it happened: 1, or the number of refusals beyond the recording
 *                      rate that this one event stands for
 */
public record SecurityEvent(String id, String environmentId, String category, String risk, String subjectHandle,
        Instant createdAt, long occurrences) {
}
