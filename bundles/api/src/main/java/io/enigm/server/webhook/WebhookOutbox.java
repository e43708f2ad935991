package io.enigm.server.webhook;

import org.osgi.annotation.versioning.ProviderType;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

/** The webhook's outbox, for the installation's owner and the console: what is waiting, what is parked. */
@ProviderType
public interface WebhookOutbox {

    /** Batches in {@code state} (every state for {@code null}), oldest first, keyset-paged. */
    Page<WebhookBatch> list(WebhookBatchState state, PageRequest page);

    /**
     * Gives a parked batch a new series of attempts, starting now.
     *
     * @throws io.enigm.server.common.NotFoundException if there is no such batch
     * @throws io.enigm.server.common.ConflictException if the batch is not parked
     */
    WebhookBatch redrive(String batchId);
}
