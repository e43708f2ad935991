package io.enigm.server.webhook;

/** Where a batch stands in the outbox. */
public enum WebhookBatchState {
    /** Waiting for its next attempt. */
    PENDING,
    /** A receiver answered 2xx. */
    DELIVERED,
    /** Every attempt failed: kept, no longer tried, until an operator re-drives it. */
    PARKED
}
