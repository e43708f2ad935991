package io.enigm.server.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the installation's messages (PostgreSQL's NOTIFY, sent at commit by any node, this one
 * included) on a connection of its own and hands them to this process's {@link Subscribers}. A
 * lost connection is opened again after a pause; the subscribers are told they may have missed
 * messages.
 */
final class PostgresListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresListener.class);
    private static final int WAIT_MILLIS = 250;
    private static final long RECONNECT_PAUSE_MILLIS = 1000;

    private final DataSource connections;
    private final Subscribers subscribers;
    /** Channels to LISTEN on, handed to the listener's thread, which alone uses its connection. */
    private final ConcurrentLinkedQueue<Added> added = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    PostgresListener(DataSource connections, Subscribers subscribers) {
        this.connections = connections;
        this.subscribers = subscribers;
        this.thread = new Thread(this::loop, "enigm-store-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** A channel to LISTEN on, and what completes once the listener does. */
    private record Added(String channel, CompletableFuture<Void> listening) {
    }

    /** Starts receiving {@code channel}'s messages: from when the answer completes on. */
    CompletableFuture<Void> listen(String channel) {
        Added request = new Added(channel, new CompletableFuture<>());
        added.add(request);
        return request.listening();
    }

    private void loop() {
        boolean first = true;
        while (running) {
            try (Connection connection = connections.getConnection()) {
                Set<String> listening = new HashSet<>();
                for (String channel : subscribers.channels()) {
                    listen(connection, channel, listening);
                }
                listenToAdded(connection, listening);
                if (!first) {
                    LOG.warn("The database listener's connection was opened again; messages may have been missed");
                    subscribers.deliverGap();
                }
                first = false;
                receive(connection, listening);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("The database listener lost its connection ({}); connecting again", e.getClass().getName());
                    pause();
                }
            }
        }
    }

    private void receive(Connection connection, Set<String> listening) throws SQLException {
        PGConnection notifications = connection.unwrap(PGConnection.class);
        while (running) {
            listenToAdded(connection, listening);
            PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
            if (received != null) {
                for (PGNotification notification : received) {
                    subscribers.deliver(notification.getName(), notification.getParameter());
                }
            }
        }
    }

    private void listenToAdded(Connection connection, Set<String> listening) throws SQLException {
        for (Added channel = added.peek(); channel != null; channel = added.peek()) {
            listen(connection, channel.channel(), listening);
            added.remove(channel);
            channel.listening().complete(null);
        }
    }

    private static void listen(Connection connection, String channel, Set<String> listening) throws SQLException {
        if (listening.add(channel)) {
            try (Statement statement = connection.createStatement()) {
                // a plain identifier, checked by Subscribers
                statement.execute("LISTEN " + Subscribers.checkedChannel(channel));
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
