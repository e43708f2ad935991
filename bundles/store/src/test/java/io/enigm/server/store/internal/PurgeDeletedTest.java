package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;

/** After {@link Database#purgeDeleted}, a deleted row's bytes are in no file of the data home. */
public class PurgeDeletedTest {

    @TempDir
    Path home;

    /** The files under {@code home} that contain {@code needle}, by path relative to it. */
    public static List<String> filesContaining(Path home, byte[] needle) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path file : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                if (contains(Files.readAllBytes(file), needle)) {
                    found.add(home.relativize(file).toString());
                }
            }
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aDeletedRowLeavesNoTraceInTheDatabaseItsJournalOrAnyOtherFile() throws IOException {
        Database database = TestDatabases.open(TestDatabases.home(home));
        String secret = "canary-7f3c2a91-erased-name";
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        database.inTransaction(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at)"
                    + " VALUES ('e1', 's1', ?, 'ACTIVE', 0)", secret);
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at)"
                    + " VALUES ('e2', 's2', 'kept', 'ACTIVE', 0)");
            return null;
        });
        database.inTransaction(handle -> handle.execute("DELETE FROM environment WHERE id = 'e1'"));
        assertTrue(filesContaining(home, needle).contains("enigm.db-wal"),
                "before the purge the journal still holds the page as it was");

        assertTrue(database.purgeDeleted());
        assertEquals(List.of(), filesContaining(home, needle));
        assertEquals(0L, Files.size(home.resolve("enigm.db-wal")));
        database.inTransaction(handle -> handle.execute("UPDATE environment SET name = 'still written'"));
        assertEquals("still written", database.read(handle -> handle.createQuery("SELECT name FROM environment")
                .mapTo(String.class).one()));
    }

    @Test
    void aReaderOnAnOlderSnapshotDefersThePurgeWithoutStoppingWrites() throws Exception {
        Database database = TestDatabases.open(TestDatabases.home(home));
        database.inTransaction(handle -> handle.execute("INSERT INTO environment (id, server_id, name, state,"
                + " created_at) VALUES ('e1', 's1', 'n', 'ACTIVE', 0)"));
        boolean deferred = database.read(handle -> {
            handle.createQuery("SELECT COUNT(*) FROM environment").mapTo(Long.class).one();
            return CompletableFuture.supplyAsync(database::purgeDeleted).join();
        });
        assertFalse(deferred, "the reader still used the journal");
        database.inTransaction(handle -> handle.execute("DELETE FROM environment"));
        assertTrue(database.purgeDeleted(), "once the reader is done");
        // pooled readers are lent last-in first-out: this is the connection the purge used
        assertEquals(Integer.valueOf(SqliteDatabaseTest.configuration().busyTimeoutMillis()), database.read(
                handle -> handle.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one()),
                "the purge's short wait is not left on the pooled connection");
    }

    @Test
    void aPurgeInsideATransactionIsRefused() {
        Database database = TestDatabases.open(TestDatabases.home(home));
        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> database.purgeDeleted()));
        assertThrows(IllegalStateException.class, () -> database.read(handle -> database.purgeDeleted()));
    }
}
