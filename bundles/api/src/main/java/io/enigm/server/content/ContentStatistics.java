package io.enigm.server.content;

import java.time.Instant;
import java.util.List;

/**
 * How much unexpired content an environment holds.
 *
 * @param environmentId the environment
 * @param total         all of it
 * @param bySender      per sending member, largest first
 */
public record ContentStatistics(String environmentId, Usage total, List<MemberUsage> bySender) {

    public ContentStatistics {
        bySender = List.copyOf(bySender);
    }

    /**
     * Counts and dates of a set of objects.
     *
     * @param objects how many
     * @param bytes   their total size
     * @param oldest  when the oldest was stored, or {@code null} when there is none
     * @param newest  when the newest was stored, or {@code null} when there is none
     */
    public record Usage(long objects, long bytes, Instant oldest, Instant newest) {
    }

    /** One member's share. */
    public record MemberUsage(String memberId, Usage usage) {
    }
}
