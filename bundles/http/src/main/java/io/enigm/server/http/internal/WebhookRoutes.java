package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.OWNER;

import java.util.List;

import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.webhook.WebhookBatch;
import io.enigm.server.webhook.WebhookBatchState;
import io.enigm.server.webhook.WebhookOutbox;

/** The Intelligence webhook's outbox: which batches wait or are parked, and re-driving a parked one. */
final class WebhookRoutes {

    record WebhookBatchView(String id, String destination, String state, int events, int attempts, String createdAt,
            String nextAttemptAt, String lastFailure, String deliveredAt) {

        static WebhookBatchView of(WebhookBatch batch) {
            return new WebhookBatchView(batch.id(), batch.destination(), batch.state().name(), batch.events(),
                    batch.attempts(), batch.createdAt().toString(), text(batch.nextAttemptAt()), batch.lastFailure(),
                    text(batch.deliveredAt()));
        }

        private static String text(Object instant) {
            return instant == null ? null : instant.toString();
        }
    }

    private final WebhookOutbox outbox;

    WebhookRoutes(WebhookOutbox outbox) {
        this.outbox = outbox;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/webhook/batches", "webhook.batches.list", Access.installation(OWNER),
                        new Operation("The Intelligence webhook's batches, oldest first, by state (PENDING, DELIVERED,"
                                + " PARKED)", null, 200, "WebhookBatchPage", List.of("state", "cursor", "limit")),
                        call -> Reply.ok(Views.PageView.of(outbox.list(MembershipRequests.constant("state",
                                call.query("state"), WebhookBatchState.class), call.page()), WebhookBatchView::of))),
                new Route("POST", "/webhook/batches/{batch}/redrive", "webhook.batch.redrive",
                        Access.installation(OWNER),
                        new Operation("Give a parked batch a new series of attempts, starting now; 409 unless parked",
                                null, 200, "WebhookBatch", List.of()),
                        call -> {
                            call.target(call.path("batch"));
                            return Reply.ok(WebhookBatchView.of(outbox.redrive(call.path("batch"))));
                        }));
    }
}
