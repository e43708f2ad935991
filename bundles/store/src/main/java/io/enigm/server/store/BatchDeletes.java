package io.enigm.server.store;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Deletes rows past their time in bounded batches, each selected and removed the way the database
 * does fastest, so that a sweep holds the one writer only briefly however long its backlog is.
 */
@ProviderType
public interface BatchDeletes {

    /**
     * Deletes one batch, joining the current write transaction (or in one of its own), and answers
     * the {@code environment_id} of every row deleted, one entry per row, so the caller can account
     * for them per environment. Fewer than {@link BatchDeletion#limit()} entries: nothing more matched.
     */
    List<String> delete(BatchDeletion batch);
}
