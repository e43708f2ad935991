package io.enigm.server.store.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's subscribers to the database's message channels, called in turn on one thread of
 * their own, so that each gets a channel's messages in the order they were handed in.
 */
final class Subscribers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Subscribers.class);
    static final int MAX_MESSAGE = 4000;

    private final Map<String, List<Consumer<String>>> byChannel = new ConcurrentHashMap<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread daemon = new Thread(runnable, "enigm-store-messages");
        daemon.setDaemon(true);
        return daemon;
    });

    static String checkedChannel(String channel) {
        return SqlNames.plain(channel);
    }

    static String checkedMessage(String message) {
        if (message == null || message.length() > MAX_MESSAGE) {
            throw new IllegalArgumentException("a message is at most " + MAX_MESSAGE + " characters");
        }
        return message;
    }

    /** Adds {@code subscriber}; whether it is the channel's first. */
    boolean add(String channel, Consumer<String> subscriber) {
        boolean[] first = {false};
        byChannel.computeIfAbsent(checkedChannel(channel), any -> {
            first[0] = true;
            return new CopyOnWriteArrayList<>();
        }).add(subscriber);
        return first[0];
    }

    void remove(String channel, Consumer<String> subscriber) {
        List<Consumer<String>> subscribers = byChannel.get(channel);
        if (subscribers != null) {
            subscribers.remove(subscriber);
        }
    }

    Set<String> channels() {
        return byChannel.keySet();
    }

    /** Hands {@code message} ({@code null}: messages may have been missed) to the channel's subscribers. */
    void deliver(String channel, String message) {
        List<Consumer<String>> subscribers = byChannel.get(channel);
        if (subscribers == null || subscribers.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> {
                for (Consumer<String> subscriber : subscribers) {
                    try {
                        subscriber.accept(message);
                    } catch (RuntimeException e) {
                        LOG.error("A subscriber of {} failed: {}", channel, e.getClass().getName());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closing: no one is listening any more
        }
    }

    /** Tells every subscriber that messages may have been missed. */
    void deliverGap() {
        channels().forEach(channel -> deliver(channel, null));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
