package io.enigm.server.webhook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.Keyset;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.security.SecurityEventFilter;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestComponents;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.webhook.WebhookBatch;
import io.enigm.server.webhook.WebhookBatchState;

/**
 * The webhook on a real SQLite file, delivering to a real HTTP receiver on loopback that checks every
 * signature; the security events come from a scripted feed (the audit bundle's, played by the test).
 */
class WebhookDeliveryTest {

    @TempDir
    Path directory;

    private DataHome home;
    private Database database;
    private final ScriptedFeed feed = new ScriptedFeed();
    private final List<WebhookDelivery> started = new ArrayList<>();
    private Receiver receiver;

    @BeforeEach
    void open() throws Exception {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        receiver = Receiver.start();
    }

    @AfterEach
    void close() {
        started.forEach(WebhookDelivery::stop);
        receiver.stop();
    }

    private WebhookDelivery delivery(Map<String, Object> settings) {
        Map<String, Object> configuration = new HashMap<>(Map.of("urls", new String[] {receiver.url()},
                "pollMillis", 20L, "initialBackoffMillis", 10L, "maxBackoffMillis", 40L, "batchSize", 3));
        configuration.putAll(settings);
        WebhookDelivery delivery = new WebhookDelivery(database, home, feed,
                TestComponents.configuration(WebhookConfiguration.class, configuration));
        started.add(delivery);
        return delivery;
    }

    @Test
    void everyEventArrivesSignedInBatchesAfterTheReceiversFirstFailures() throws Exception {
        receiver.failFirst(2);
        feed.add(7);
        delivery(Map.of());

        await(() -> receiver.eventIds().size() == 7, "all seven events within 10 s: " + receiver.eventIds());
        byte[] key = Files.readString(directory.resolve("secrets").resolve(WebhookDelivery.SECRET)).trim()
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(64, key.length, "32 random bytes as hex in secrets/");
        assertTrue(receiver.allSignedWith(key), "every POST signed over its timestamp and body");
        assertEquals(Set.copyOf(feed.ids()), Set.copyOf(receiver.eventIds()), "the feed's events, none other");
        assertTrue(receiver.refused() >= 2, "the receiver's failures were retried");

        feed.add(2);
        await(() -> receiver.eventIds().size() == 9, "new events follow");
        await(() -> database.read(h -> h.createQuery("SELECT COUNT(*) FROM webhook_batch WHERE state <> 'DELIVERED'")
                .mapTo(Integer.class).one()) == 0, "every batch marked delivered");
    }

    @Test
    void anEventStoredAfterOneThatSortsAfterItIsStillDeliveredAndNoneTwice() throws Exception {
        feed.add(3);
        delivery(Map.of());
        await(() -> receiver.eventIds().size() == 3, "the first three");
        // stored now, yet sorting before the newest delivered: same minute, an id that sorts first
        feed.addAt(3 * 60_000L, "event000000000000000");
        await(() -> receiver.eventIds().size() == 4, "the late one too: " + receiver.eventIds());
        Thread.sleep(200);
        assertEquals(4, receiver.deliveries(), "each event once");
    }

    @Test
    void aBatchIsParkedAfterItsLastAttemptAndDeliveredWhenReDriven() throws Exception {
        receiver.failFirst(Integer.MAX_VALUE);
        feed.add(2);
        delivery(Map.of("maxAttempts", 3));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        StoredWebhookOutbox outbox = new StoredWebhookOutbox(database, meters);

        await(() -> outbox.list(WebhookBatchState.PARKED, new PageRequest(null, 10)).items().size() == 1,
                "parked after three attempts");
        WebhookBatch parked = outbox.list(WebhookBatchState.PARKED, new PageRequest(null, 10)).items().get(0);
        assertEquals(3, parked.attempts());
        assertEquals("HTTP 503", parked.lastFailure());
        assertEquals("http://127.0.0.1:" + receiver.port(), parked.destination(), "never the path or query");
        assertNull(parked.nextAttemptAt());
        assertThrows(NotFoundException.class, () -> outbox.redrive("no-such-batch-0000"));
        assertEquals(1.0, meters.get("enigm.webhook.outbox").tag("state", "PARKED").gauge().value(),
                "the outbox depth metric counts the parked batch");

        receiver.failFirst(0);
        assertEquals(WebhookBatchState.PENDING, outbox.redrive(parked.id()).state());
        assertThrows(ConflictException.class, () -> outbox.redrive(parked.id()), "only a parked batch");
        await(() -> receiver.eventIds().size() == 2, "delivered once re-driven");
        assertEquals(List.of(), outbox.list(WebhookBatchState.PARKED, new PageRequest(null, 10)).items());
        assertEquals(0.0, meters.get("enigm.webhook.outbox").tag("state", "PARKED").gauge().value());
    }

    @Test
    void whatWasNotDeliveredBeforeAStopIsDeliveredAfterARestart() throws Exception {
        receiver.stop();
        feed.add(5);
        WebhookDelivery first = delivery(Map.of());
        await(() -> database.read(h -> h.createQuery("SELECT COUNT(*) FROM webhook_batch WHERE attempts > 0")
                .mapTo(Integer.class).one()) == 2, "both batches tried and failed while the receiver is down");
        first.stop();

        receiver = Receiver.start(receiver.port());
        delivery(Map.of());
        await(() -> receiver.eventIds().size() == 5, "delivered after the restart: " + receiver.eventIds());
    }

    @Test
    void aReceiverTheOperatorRemovedGetsNothingMoreAndItsBatchesAreParked() throws Exception {
        database.inTransaction(h -> {
            OutboxRows.add(h, "removedreceiver00001", "http://127.0.0.1:" + receiver.port() + "/removed", "{}", 1, 0);
            return null;
        });
        delivery(Map.of());
        StoredWebhookOutbox outbox = new StoredWebhookOutbox(database, new SimpleMeterRegistry());

        await(() -> !outbox.list(WebhookBatchState.PARKED, new PageRequest(null, 10)).items().isEmpty(),
                "the batch for the removed receiver parked");
        assertEquals("RECEIVER_REMOVED", outbox.list(WebhookBatchState.PARKED, new PageRequest(null, 10)).items()
                .get(0).lastFailure());
        assertFalse(receiver.posted(), "nothing sent to it");
    }

    @Test
    void aReceiverThatIsNotAnHttpUrlIsRefused() {
        for (String url : new String[] {"ftp://127.0.0.1/x", "not a url", "/relative/path", "http:///nohost"}) {
            assertThrows(IllegalArgumentException.class, () -> delivery(Map.of("urls", new String[] {url})), url);
        }
    }

    @Test
    void theWaitDoublesUpToItsLimit() {
        WebhookDelivery delivery = delivery(Map.of("urls", new String[0], "initialBackoffMillis", 100L,
                "maxBackoffMillis", 1000L));
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
                List.of(1, 2, 3, 4, 5, 6).stream().map(delivery::backoff).toList());
        assertFalse(receiver.posted(), "no receiver configured, nothing sent");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(10);
        }
    }

    /** The installation-wide feed, as the audit bundle keysets it: by (created, id). */
    static final class ScriptedFeed implements SecurityEventFeed {

        private final List<SecurityEvent> events = new ArrayList<>();
        private int made;

        synchronized void add(int count) {
            for (int i = 0; i < count; i++) {
                made++;
                events.add(new SecurityEvent(String.format("event%016d", made), "env00000000000001",
                        "SESSION_SIGNATURE_FORGED", "HIGH", "handle" + made, Instant.ofEpochMilli(60_000L * made), 1));
            }
        }

        synchronized void addAt(long createdMillis, String id) {
            events.add(new SecurityEvent(id, "env00000000000001", "SESSION_SIGNATURE_FORGED", "HIGH", "late",
                    Instant.ofEpochMilli(createdMillis), 1));
            events.sort(Comparator.comparing(SecurityEvent::createdAt).thenComparing(SecurityEvent::id));
        }

        synchronized List<String> ids() {
            return events.stream().map(SecurityEvent::id).toList();
        }

        @Override
        public Page<SecurityEvent> list(String environmentId, SecurityEventFilter filter, PageRequest page) {
            throw new UnsupportedOperationException("the webhook reads the installation's feed");
        }

        @Override
        public List<SecurityEvent> latestInstallation(SecurityEventFilter filter, int limit) {
            throw new UnsupportedOperationException("the webhook reads the installation's feed in order");
        }

        @Override
        public synchronized Page<SecurityEvent> listInstallation(SecurityEventFilter filter, PageRequest page) {
            Keyset after = Keyset.decode(page.cursor());
            List<SecurityEvent> rows = events.stream().filter(e -> after == null
                    || e.createdAt().toEpochMilli() > after.createdAt()
                    || (e.createdAt().toEpochMilli() == after.createdAt() && e.id().compareTo(after.id()) > 0))
                    .limit(page.limit() + 1L).toList();
            return Keyset.page(rows, page.limit(), e -> new Keyset(e.createdAt().toEpochMilli(), e.id()));
        }
    }
}
