package io.enigm.server.content;

import java.time.Instant;
import java.util.Objects;

/**
 * A deletion job: what it covers vanished from every answer when it started; its erasure follows
 * in bounded chunks.
 *
 * @param id            the job's id
 * @param environmentId the environment
 * @param scope         what it erases
 * @param memberId      the member whose content it erases (scope {@code MEMBER}), else {@code null}
 * @param state         whether it is still erasing
 * @param objects       how many objects it covered when it started
 * @param bytes         their total size
 * @param erased        how many of them are erased so far
 * @param requestedAt   when it started
 * @param completedAt   when it completed, or {@code null} while it runs
 * @param receipt       its deletion receipt once completed, else {@code null}
 */
public record DeletionJob(String id, String environmentId, DeletionScope scope, String memberId, State state,
        long objects, long bytes, long erased, Instant requestedAt, Instant completedAt, DeletionReceipt receipt) {

    public DeletionJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(state, "state");
    }

    /** Where a job stands. */
    public enum State {
        /** Covered objects are in no answer; some are not erased yet. */
        RUNNING,
        /** Every covered object is erased and the receipt is sealed in the audit log. */
        COMPLETED
    }
}
