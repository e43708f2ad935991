package io.enigm.server.webhook.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the Enigm Intelligence webhook delivers, and how it retries. */
@ObjectClassDefinition(name = "Enigm Server Intelligence webhook",
        description = "Batches of minimized security events POSTed to the configured URLs, signed with HMAC-SHA256"
                + " under the key in secrets/webhook-secret, retried with exponential backoff and parked after the"
                + " last attempt.")
public @interface WebhookConfiguration {

    String PID = "io.enigm.server.webhook";

    @AttributeDefinition(name = "Receiver URLs",
            description = "http or https URLs that receive every batch; none: the webhook is off and events wait"
                    + " in the pull feed (GET /api/v1/security-events).")
    String[] urls() default {};

    @AttributeDefinition(name = "Events per batch", description = "At most this many events in one POST, 1 to 1000.",
            min = "1", max = "1000")
    int batchSize() default 100;

    @AttributeDefinition(name = "Attempts before a batch is parked",
            description = "Failed attempts after which a batch is kept but no longer tried, 1 to 100.",
            min = "1", max = "100")
    int maxAttempts() default 10;

    @AttributeDefinition(name = "First retry after (milliseconds)",
            description = "The wait after the first failure, doubled after each further one, 10 to 3600000.",
            min = "10", max = "3600000")
    long initialBackoffMillis() default 1000;

    @AttributeDefinition(name = "Longest wait between attempts (milliseconds)",
            description = "The backoff never grows beyond this, 10 to 86400000.", min = "10", max = "86400000")
    long maxBackoffMillis() default 300_000;

    @AttributeDefinition(name = "Poll interval (milliseconds)",
            description = "How often new events are batched and due batches are sent, 10 to 600000.",
            min = "10", max = "600000")
    long pollMillis() default 2000;

    @AttributeDefinition(name = "Request timeout (milliseconds)",
            description = "A receiver that has not answered within this fails the attempt, 100 to 600000.",
            min = "100", max = "600000")
    long requestTimeoutMillis() default 10_000;

    @AttributeDefinition(name = "Delivered batches kept (days)",
            description = "Delivered batches are removed from the outbox after this many days, 1 to 365.",
            min = "1", max = "365")
    int keepDeliveredDays() default 7;
}
