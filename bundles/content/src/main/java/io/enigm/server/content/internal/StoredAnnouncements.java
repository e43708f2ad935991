package io.enigm.server.content.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;

/**
 * What any node stored, for the followers on this one, on a database shared by nodes. The storing
 * transaction publishes the object's environment and place in storage order (ids only, never
 * content); every node's subscriber gets those in commit order, which is storage order, loads the
 * rows its followers wait for, once for all of them, on one thread, and hands them to its
 * {@link ContentEvents} in that order. When announcements may have been missed (the node's
 * listener reconnected), or the rows could not be loaded, every follower catches up from its cursor.
 */
final class StoredAnnouncements implements AutoCloseable {

    static final String CHANNEL = "content_stored";

    private static final Logger LOG = LoggerFactory.getLogger(StoredAnnouncements.class);
    /** Stands for a gap in the queue, which holds no nulls. */
    private static final String GAP = "";
    /** Rows loaded per query, at most. */
    private static final int BATCH = 500;

    private final Database database;
    private final ContentEvents events;
    private final Function<List<Long>, List<ContentRows.Row>> load;
    private final Queue<String> received = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService thread = DaemonThreads.scheduler("enigm-content-announcements");
    private final AutoCloseable subscription;

    StoredAnnouncements(Database database, ContentEvents events, Function<List<Long>, List<ContentRows.Row>> load) {
        this.database = database;
        this.events = events;
        this.load = load;
        this.subscription = database.subscribe(CHANNEL, this::received);
    }

    /** Announces an object to every node once the current write transaction commits. */
    void announce(String environmentId, long seq) {
        database.publish(CHANNEL, environmentId + " " + seq);
    }

    /** On the store's thread: only queues. */
    private void received(String message) {
        received.add(message == null ? GAP : message);
        thread.execute(this::handOver);
    }

    /** Hands over what was received so far, in the order it was. */
    private void handOver() {
        List<Long> followed = new ArrayList<>();
        for (String message = received.poll(); message != null; message = received.poll()) {
            if (message.equals(GAP)) {
                deliver(followed);
                events.resume();
                continue;
            }
            int space = message.indexOf(' ');
            if (events.followed(message.substring(0, space))) {
                followed.add(Long.parseLong(message.substring(space + 1)));
                if (followed.size() == BATCH) {
                    deliver(followed);
                }
            }
        }
        deliver(followed);
    }

    /** Loads and hands over the objects of {@code seqs}, which it empties. */
    private void deliver(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return;
        }
        try {
            load.apply(seqs).forEach(row -> events.stored(row.object(), row.seq()));
        } catch (RuntimeException e) {
            LOG.warn("Stored objects could not be loaded for their followers ({}); they catch up from their cursors",
                    e.getClass().getName());
            events.resume();
        }
        seqs.clear();
    }

    @Override
    public void close() throws Exception {
        subscription.close();
        thread.shutdownNow();
    }
}
