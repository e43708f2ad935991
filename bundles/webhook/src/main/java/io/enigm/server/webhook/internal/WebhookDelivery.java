package io.enigm.server.webhook.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.common.Keyset;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.security.SecurityEventFilter;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.support.ids.TimeOrderedIds;
import io.enigm.server.support.threads.DaemonThreads;

/**
 * Pushes the installation's security events to the configured receivers, at least once. On its own
 * thread it reads the events after its cursor from the pull feed, puts them in batches (one per
 * receiver) and moves the cursor in the same transaction; then it sends the batches that are due,
 * outside any transaction, and records each answer: delivered, or tried again after a wait that
 * doubles up to a limit, or parked after the last attempt. Everything it knows is in the database,
 * so a restart resumes where it stopped; a batch sent but not yet marked delivered when the server
 * stopped is sent again, and its id lets a receiver drop the repeat. It offers no service: a change
 * of its configuration restarts it alone, never what reads the outbox ({@link StoredWebhookOutbox}).
 */
@Component(service = {}, immediate = true, configurationPid = WebhookConfiguration.PID)
@Designate(ocd = WebhookConfiguration.class)
public final class WebhookDelivery {

    static final String SECRET = "webhook-secret";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final int DUE_PER_ROUND = 50;
    private static final long PURGE_EVERY_MILLIS = TimeUnit.HOURS.toMillis(1);
    /** How far before the newest batched event the feed is read again: two of its minutes. */
    static final long LOOK_BACK_MILLIS = TimeUnit.MINUTES.toMillis(2);
    /** Sorts before every time-ordered id (its characters' lowest), as long as one. */
    private static final String BEFORE_EVERY_ID = "-".repeat(22);
    private static final int SCAN_PAGE = 500;
    private static final int BATCHES_PER_ROUND = 10;

    private final Database database;
    private final SecurityEventFeed feed;
    private final WebhookConfiguration configuration;
    private final List<String> urls;
    private final SignedPost post;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private long purgedAt;

    @Activate
    public WebhookDelivery(@Reference Database database, @Reference DataHome home, @Reference SecurityEventFeed feed,
            WebhookConfiguration configuration) {
        this(database, home, feed, configuration, Clock.systemUTC());
    }

    WebhookDelivery(Database database, DataHome home, SecurityEventFeed feed, WebhookConfiguration configuration,
            Clock clock) {
        this.database = database;
        this.feed = feed;
        this.configuration = configuration;
        this.urls = receivers(configuration.urls());
        this.clock = clock;
        this.post = new SignedPost(key(home), Duration.ofMillis(configuration.requestTimeoutMillis()));
        this.thread = DaemonThreads.scheduler("enigm-webhook");
        thread.scheduleWithFixedDelay(this::round, 0, configuration.pollMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Intelligence webhook: {} receiver(s), batches of at most {}, parked after {} attempts",
                urls.size(), configuration.batchSize(), configuration.maxAttempts());
    }

    /** Only absolute http and https URLs with a host: anything else would fail every attempt, unseen. */
    private static List<String> receivers(String[] configured) {
        for (String url : configured) {
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(WebhookConfiguration.PID + ": a receiver URL is not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(WebhookConfiguration.PID
                        + ": receiver URLs must be absolute http or https URLs with a host");
            }
        }
        return Arrays.stream(configured).map(String::trim).toList();
    }

    /** The installation's webhook key, made on first use: 32 random bytes, kept as 64 hex characters. */
    private static byte[] key(DataHome home) {
        Optional<byte[]> stored = home.readSecret(SECRET);
        if (stored.isPresent()) {
            return new String(stored.get(), StandardCharsets.US_ASCII).trim().getBytes(StandardCharsets.US_ASCII);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] hex = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
        home.writeSecret(SECRET, hex);
        return hex;
    }

    @Deactivate
    void stop() {
        thread.shutdownNow();
        try {
            // a configuration change starts the next delivery only once this one has let go
            thread.awaitTermination(configuration.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One round: batch what is new, send what is due, now and then forget what was delivered long ago. */
    void round() {
        try {
            if (!urls.isEmpty()) {
                // a bounded number of batches, then sending: a flood of events never holds delivery up
                for (int batches = 0; batches < BATCHES_PER_ROUND && batchNewEvents(); batches++) {
                    // until the feed has nothing new or the round's share is made
                }
                sendDue();
            }
            purgeDelivered();
        } catch (RuntimeException e) {
            LOG.warn("A webhook round failed ({}); again in {} ms", e.getClass().getName(), configuration.pollMillis());
        }
    }

    /**
     * Puts events not yet batched in a batch per receiver, in one transaction with the record of
     * which events those are. It reads the feed from {@link #LOOK_BACK_MILLIS} before the newest
     * event it batched: an event is stored with its time to the minute, and events of one
     * millisecond sort at random, so one stored after another may sort before it.
     *
     * @return whether a full batch was taken, so that more may follow
     */
    private boolean batchNewEvents() {
        long from = database.read(OutboxRows::newestBatched).map(newest -> newest - LOOK_BACK_MILLIS).orElse(-1L);
        String cursor = from < 0 ? null : new Keyset(from, BEFORE_EVERY_ID).encode();
        List<SecurityEvent> fresh = new ArrayList<>();
        do {
            Page<SecurityEvent> page = feed.listInstallation(SecurityEventFilter.ALL, new PageRequest(cursor, SCAN_PAGE));
            Set<String> unbatched = database.read(handle -> OutboxRows.unbatched(handle,
                    page.items().stream().map(SecurityEvent::id).toList()));
            page.items().stream().filter(event -> unbatched.contains(event.id()))
                    .limit(configuration.batchSize() - (long) fresh.size()).forEach(fresh::add);
            cursor = page.next();
        } while (cursor != null && fresh.size() < configuration.batchSize());
        if (fresh.isEmpty()) {
            return false;
        }
        long now = clock.millis();
        database.inTransaction(handle -> {
            for (String url : urls) {
                String id = TimeOrderedIds.next();
                OutboxRows.add(handle, id, url, EventBatches.body(id, fresh), fresh.size(), now);
            }
            OutboxRows.batched(handle, fresh);
            return null;
        });
        return fresh.size() == configuration.batchSize();
    }

    private void sendDue() {
        for (OutboxRows.Due batch : database.read(handle -> OutboxRows.due(handle, clock.millis(), DUE_PER_ROUND))) {
            if (!urls.contains(batch.target())) {
                // a receiver the operator removed gets nothing more; the batch stays, parked, to be seen
                database.inTransaction(handle -> {
                    OutboxRows.failed(handle, batch.id(), batch.attempts(), clock.millis(), true, "RECEIVER_REMOVED");
                    return null;
                });
                continue;
            }
            Optional<String> failure = post.send(batch.target(), batch.id(), batch.body(), clock.instant().getEpochSecond());
            if (failure.filter("INTERRUPTED"::equals).isPresent()) {
                return; // stopping: not the receiver's failure, the batch is tried again on the next start
            }
            long now = clock.millis();
            if (failure.isEmpty()) {
                database.inTransaction(handle -> {
                    OutboxRows.delivered(handle, batch.id(), now);
                    return null;
                });
                continue;
            }
            int attempts = batch.attempts() + 1;
            boolean parked = attempts >= configuration.maxAttempts();
            long next = now + backoff(attempts);
            database.inTransaction(handle -> {
                OutboxRows.failed(handle, batch.id(), attempts, next, parked, failure.get());
                return null;
            });
            if (parked) {
                LOG.warn("A webhook batch to {} is parked after {} failed attempts (last: {})",
                        OutboxRows.destination(batch.target()), attempts, failure.get());
            }
        }
    }

    /** The wait after the {@code attempts}-th failure: the first backoff, doubled each time, up to the longest. */
    long backoff(int attempts) {
        long wait = configuration.initialBackoffMillis();
        for (int i = 1; i < attempts && wait < configuration.maxBackoffMillis(); i++) {
            wait *= 2;
        }
        return Math.min(wait, configuration.maxBackoffMillis());
    }

    private void purgeDelivered() {
        long now = clock.millis();
        if (now - purgedAt < PURGE_EVERY_MILLIS) {
            return;
        }
        purgedAt = now;
        long before = now - TimeUnit.DAYS.toMillis(configuration.keepDeliveredDays());
        database.inTransaction(handle -> {
            OutboxRows.newestBatched(handle).ifPresent(newest -> OutboxRows.forgetBatchedBefore(handle,
                    newest - 2 * LOOK_BACK_MILLIS));
            return OutboxRows.removeDelivered(handle, before);
        });
    }
}
