package io.enigm.server.webhook.internal;

import java.time.Clock;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.ConflictException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.store.Database;
import io.enigm.server.webhook.WebhookBatch;
import io.enigm.server.webhook.WebhookBatchState;
import io.enigm.server.webhook.WebhookOutbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The outbox as the owner and the console see it. Apart from {@link WebhookDelivery}, so that
 * reconfiguring the delivery never takes this service, and the API routes that use it, away.
 */
@Component(service = WebhookOutbox.class)
public final class StoredWebhookOutbox implements WebhookOutbox {

    private final Database database;
    private final Clock clock;
    private final MeterRegistry meters;
    private final List<Gauge> depth;

    @Activate
    public StoredWebhookOutbox(@Reference Database database, @Reference MeterRegistry meters) {
        this(database, meters, Clock.systemUTC());
    }

    StoredWebhookOutbox(Database database, MeterRegistry meters, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.meters = meters;
        // read when scraped: the batches waiting to be sent and those parked for an operator
        this.depth = List.of(WebhookBatchState.PENDING, WebhookBatchState.PARKED).stream()
                .map(state -> Gauge.builder("enigm.webhook.outbox", () -> database.read(handle ->
                        OutboxRows.count(handle, state))).description("Webhook batches in the outbox, by state")
                        .baseUnit("batches").tag("state", state.name()).register(meters))
                .toList();
    }

    /** The gauges read this component's database: gone with it, so a restart registers fresh ones. */
    @Deactivate
    void stop() {
        depth.forEach(meters::remove);
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
