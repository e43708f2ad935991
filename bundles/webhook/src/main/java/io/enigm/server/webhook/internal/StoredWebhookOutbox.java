package io.enigm.server.webhook.internal;

import java.time.Clock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.ConflictException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.store.Database;
import io.enigm.server.webhook.WebhookBatch;
import io.enigm.server.webhook.WebhookBatchState;
import io.enigm.server.webhook.WebhookOutbox;

/**
 * The outbox as the owner and the console see it. Apart from {@link WebhookDelivery}, so that
 * reconfiguring the delivery never takes this service, and the API routes that use it, away.
 */
@Component(service = WebhookOutbox.class)
public final class StoredWebhookOutbox implements WebhookOutbox {

    private final Database database;
    private final Clock clock;

    @Activate
    public StoredWebhookOutbox(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    StoredWebhookOutbox(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Page<WebhookBatch> list(WebhookBatchState state, PageRequest page) {
        return database.read(handle -> OutboxRows.list(handle, state, page));
    }

    /** The delivery takes it up on its next round. */
    @Override
    public WebhookBatch redrive(String batchId) {
        long now = clock.millis();
        return database.inTransaction(handle -> {
            WebhookBatch found = OutboxRows.find(handle, batchId)
                    .orElseThrow(() -> new NotFoundException("webhook batch"));
            if (!OutboxRows.redrive(handle, batchId, now)) {
                throw new ConflictException("only a parked batch can be re-driven; this one is " + found.state());
            }
            return OutboxRows.find(handle, batchId).orElseThrow();
        });
    }
}
