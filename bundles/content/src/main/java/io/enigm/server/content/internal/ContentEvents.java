package io.enigm.server.content.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.content.ContentListener;
import io.enigm.server.content.ContentObject;
import io.enigm.server.content.ContentSubscription;
import io.enigm.server.environment.Surface;
import io.enigm.server.support.threads.DaemonThreads;

/**
 * Fans new objects out to the members' devices that follow them, ids only, on threads of its own:
 * an object is handed over once it is durable, by the writer, or on a database shared by nodes by
 * {@link StoredAnnouncements}, in storage order either way. Followers are spread over a few delivery
 * threads, one per core, each follower always on the same one, so that thousands of streams are
 * written in parallel while each follower still gets what was stored after its cursor, then what
 * is new, in storage order and never twice. On an interval every follower's session is checked on
 * its thread; a follower whose session no longer stands is ended, the others get a sign of life.
 */
final class ContentEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContentEvents.class);
    private static final int REPLAY_PAGE = 500;

    /** What a follower may see; asked whether its session still stands. */
    record Follower(String environmentId, String memberId, Set<Surface> readable, String token) {

        boolean sees(ContentObject object) {
            return readable.contains(object.surface()) && (object.senderMemberId().equals(memberId)
                    || object.recipients().isEmpty() || object.recipients().contains(memberId));
        }
    }

    /** The stored objects after a cursor that a follower sees, one page at a time, oldest first. */
    @FunctionalInterface
    interface Replay {
        List<ContentRows.Row> after(Follower follower, long seq, int limit);
    }

    private final Map<String, Set<Subscription>> byEnvironment = new ConcurrentHashMap<>();
    /** The delivery threads; the first also keeps the heartbeat's time. */
    private final ScheduledExecutorService[] threads;
    private final AtomicInteger assigned = new AtomicInteger();
    private final Replay replay;
    private final Function<Follower, Boolean> stands;

    ContentEvents(Replay replay, Function<Follower, Boolean> stands, Duration heartbeat) {
        this.replay = replay;
        this.stands = stands;
        this.threads = new ScheduledExecutorService[Math.max(2, Runtime.getRuntime().availableProcessors())];
        for (int i = 0; i < threads.length; i++) {
            String name = "enigm-content-events-" + i;
            threads[i] = DaemonThreads.scheduler(name);
        }
        long millis = heartbeat.toMillis();
        threads[0].scheduleWithFixedDelay(this::heartbeat, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts following: replays what was stored after {@code since}, then what is new. */
    ContentSubscription follow(Follower follower, long since, ContentListener listener) {
        Subscription subscription = new Subscription(follower, listener,
                Math.floorMod(assigned.getAndIncrement(), threads.length));
        byEnvironment.computeIfAbsent(follower.environmentId(), env -> ConcurrentHashMap.newKeySet())
                .add(subscription);
        threads[subscription.thread].execute(() -> subscription.replay(since));
        return subscription;
    }

    /**
     * Hands a durable object over; called on the writer (or the announcements' thread), so only
     * queues. It goes to those who follow at this moment: one who starts following later gets it
     * from its replay if it was stored after its cursor.
     */
    void stored(ContentObject object, long seq) {
        Set<Subscription> followers = byEnvironment.get(object.environmentId());
        if (followers != null && !followers.isEmpty()) {
            onTheirThreads(followers, subscription -> subscription.offer(object, seq));
        }
    }

    /**
     * Has every follower catch up from its cursor, after objects may have been stored without being
     * handed over (a node missed another's announcements). What it already got, it does not get again.
     */
    void resume() {
        List<Subscription> all = new ArrayList<>();
        byEnvironment.values().forEach(all::addAll);
        onTheirThreads(all, Subscription::catchUp);
    }

    /** Whether anyone follows the environment now. */
    boolean followed(String environmentId) {
        Set<Subscription> followers = byEnvironment.get(environmentId);
        return followers != null && !followers.isEmpty();
    }

    /** How many follow now. */
    int followers() {
        return byEnvironment.values().stream().mapToInt(Set::size).sum();
    }

    /** Runs {@code action} for each of {@code followers} on its own delivery thread, one task per thread. */
    private void onTheirThreads(Collection<Subscription> followers, Consumer<Subscription> action) {
        List<List<Subscription>> byThread = new ArrayList<>(threads.length);
        for (int i = 0; i < threads.length; i++) {
            byThread.add(new ArrayList<>());
        }
        followers.forEach(subscription -> byThread.get(subscription.thread).add(subscription));
        for (int i = 0; i < threads.length; i++) {
            List<Subscription> mine = byThread.get(i);
            if (!mine.isEmpty()) {
                threads[i].execute(() -> mine.forEach(action));
            }
        }
    }

    private void heartbeat() {
        List<Subscription> all = new ArrayList<>();
        byEnvironment.values().forEach(all::addAll);
        onTheirThreads(all, subscription -> {
            try {
                if (stands.apply(subscription.follower)) {
                    subscription.listener.alive();
                } else {
                    subscription.end();
                }
            } catch (RuntimeException e) {
                LOG.warn("A content follower's check failed ({}); again on the next beat", e.getClass().getName());
            }
        });
    }

    @Override
    public void close() {
        for (ScheduledExecutorService thread : threads) {
            thread.shutdownNow();
        }
        byEnvironment.values().forEach(followers -> followers.forEach(Subscription::end));
    }

    /**
     * One follower. Until its replay is done, live objects wait in {@code held}, so that what is
     * replayed and what is new reach it in order, each once.
     */
    private final class Subscription implements ContentSubscription {

        private final Follower follower;
        private final ContentListener listener;
        /** The delivery thread it is always served on. */
        private final int thread;
        private final List<Map.Entry<ContentObject, Long>> held = new ArrayList<>();
        private long last = -1;
        private boolean replaying = true;
        private boolean ended;

        Subscription(Follower follower, ContentListener listener, int thread) {
            this.follower = follower;
            this.listener = listener;
            this.thread = thread;
        }

        void replay(long since) {
            long seq = since;
            try {
                List<ContentRows.Row> page;
                do {
                    page = replay.after(follower, seq, REPLAY_PAGE);
                    for (ContentRows.Row row : page) {
                        seq = row.seq();
                        deliver(row.object(), seq);
                    }
                } while (page.size() == REPLAY_PAGE);
            } catch (RuntimeException e) {
                LOG.warn("A content follower's replay failed ({}); it is ended", e.getClass().getName());
                end();
                return;
            }
            replayed(seq);
        }

        /** Replays from the last object it got (or its cursor), on its thread, after what it was offered. */
        void catchUp() {
            long from;
            synchronized (this) {
                replaying = true;
                from = last;
            }
            replay(from);
        }

        /** The replay reached {@code seq}; what was held back follows. */
        synchronized void replayed(long seq) {
            replaying = false;
            last = Math.max(last, seq);
            held.forEach(entry -> deliver(entry.getKey(), entry.getValue()));
            held.clear();
        }

        synchronized void offer(ContentObject object, long seq) {
            if (replaying) {
                held.add(Map.entry(object, seq));
            } else {
                deliver(object, seq);
            }
        }

        private synchronized void deliver(ContentObject object, long seq) {
            if (ended || seq <= last || !follower.sees(object)) {
                return;
            }
            last = seq;
            listener.created(object.id(), Long.toString(seq));
        }

        synchronized void end() {
            if (!ended) {
                ended = true;
                close();
                listener.ended();
            }
        }

        @Override
        public void close() {
            Set<Subscription> followers = byEnvironment.get(follower.environmentId());
            if (followers != null) {
                followers.remove(this);
            }
        }
    }
}
