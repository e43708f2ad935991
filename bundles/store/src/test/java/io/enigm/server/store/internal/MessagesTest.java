package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;

/** Messages published in transactions reach subscribers after the commit, never after a rollback. */
class MessagesTest {

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    private final List<Database> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Database database : opened) {
            ((AutoCloseable) database).close();
        }
    }

    private Database open(Path home, String url) {
        Database database = TestDatabases.open(TestDatabases.home(home), url);
        opened.add(database);
        return database;
    }

    private static String next(BlockingQueue<String> received) throws InterruptedException {
        String message = received.poll(10, TimeUnit.SECONDS);
        assertTrue(message != null, "a message within 10 s");
        return message;
    }

    private static void publishThreeWithARollbackBetween(Database database) {
        database.inTransaction(handle -> {
            database.publish("news", "first");
            return null;
        });
        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            database.publish("news", "rolled back");
            throw new IllegalStateException("abort");
        }));
        database.inTransaction(handle -> {
            database.publish("news", "second");
            database.publish("news", "third");
            return null;
        });
    }

    @Test
    void oneProcessGetsItsOwnMessagesAfterCommitInOrder() throws Exception {
        Database database = open(homeA, TestDatabases.postgres() ? TestPostgres.shared().newDatabase() : "");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        database.subscribe("news", received::add);
        awaitDelivery(database, received, received);
        publishThreeWithARollbackBetween(database);
        assertEquals(List.of("first", "second", "third"), List.of(next(received), next(received), next(received)));
        assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS), "nothing of the rolled-back transaction");
        assertThrows(IllegalArgumentException.class, () -> database.publish("Bad channel", "x"));
        assertThrows(IllegalArgumentException.class, () -> database.publish("news", "x".repeat(4001)));
    }

    @Test
    void everyNodeOnASharedDatabaseGetsEveryNodesMessagesInCommitOrder() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        Database a = open(homeA, url);
        Database b = open(homeB, url);
        BlockingQueue<String> onA = new LinkedBlockingQueue<>();
        BlockingQueue<String> onB = new LinkedBlockingQueue<>();
        AutoCloseable subscription = a.subscribe("news", onA::add);
        b.subscribe("news", onB::add);
        // the listener takes its LISTEN on its own thread: wait until a message gets through
        awaitDelivery(a, onA, onB);
        publishThreeWithARollbackBetween(a);
        b.inTransaction(handle -> {
            b.publish("news", "from b");
            return null;
        });
        for (BlockingQueue<String> received : List.of(onA, onB)) {
            assertEquals(List.of("first", "second", "third", "from b"),
                    List.of(next(received), next(received), next(received), next(received)));
        }
        subscription.close();
        b.publish("news", "after a left");
        assertEquals("after a left", next(onB));
        assertEquals(null, onA.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void aSubscriptionGetsWhatAnotherNodePublishesAsSoonAsItReturns() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        Database a = open(homeA, url);
        Database b = open(homeB, url);
        BlockingQueue<String> onB = new LinkedBlockingQueue<>();
        b.subscribe("news", onB::add);
        a.publish("news", "at once");
        assertEquals("at once", next(onB));
    }

    private static void awaitDelivery(Database database, BlockingQueue<String> onA, BlockingQueue<String> onB)
            throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            database.publish("news", "ready");
            if (onA.poll(100, TimeUnit.MILLISECONDS) != null && (onA == onB || onB.poll(1, TimeUnit.SECONDS) != null)) {
                onA.clear();
                onB.clear();
                Thread.sleep(300);
                onA.clear();
                onB.clear();
                return;
            }
        }
        throw new AssertionError("no message got through within 100 attempts");
    }
}
