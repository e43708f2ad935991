package io.enigm.server.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * Backups of a data home whose database and blob store a writer changes all the while, as the
 * content bundle does: a blob file before its row commits, its deletion after the row's.
 */
class BackupUnderWritesTest {

    @TempDir
    Path temp;

    @Test
    void everyBackupTakenWhileObjectsComeAndGoHoldsExactlyTheBlobsItsDatabaseNames() throws Exception {
        Path home = home();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> write(home, writing, failed));
        writer.start();
        try {
            for (int i = 0; i < 5; i++) {
                Path backup = temp.resolve("backup-" + i);
                assertEquals(0, tool("backup", "--home", home.toString(), "--to", backup.toString()));
                DatabaseFile.Contents contents = DatabaseFile.check(backup.resolve(DatabaseFile.NAME));
                Map<String, Path> blobs = new BlobFiles(backup).list();
                assertEquals(contents.blobIds(), blobs.keySet(), "backup " + i + " holds the blobs its database names");
                assertFalse(Files.exists(backup.resolve("secrets")), "secrets only when asked");
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        assertEquals(null, failed.get(), "the writer never failed");
    }

    @Test
    void aRestoreGoesOnlyIntoAnEmptyHomeAndBringsBackTheDatabaseBlobsAndSecrets() throws Exception {
        Path home = home();
        Files.writeString(home.resolve("secrets/installation-key"), "key\n");
        Files.writeString(home.resolve("secrets/audit-checkpoint"), "1\n");
        try (Connection db = open(home)) {
            insert(db, home, id(1));
        }
        Path backup = temp.resolve("backup");
        assertEquals(0, tool("backup", "--home", home.toString(), "--to", backup.toString(), "--with-secrets"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(backup.resolve("secrets/installation-key"))));
        assertEquals(1, tool("backup", "--home", home.toString(), "--to", backup.toString()),
                "a backup never goes into a directory that holds anything");

        Path occupied = Files.createDirectories(temp.resolve("occupied"));
        Files.writeString(occupied.resolve("enigm.db"), "older");
        assertEquals(1, tool("restore", "--from", backup.toString(), "--home", occupied.toString()));
        assertEquals("older", Files.readString(occupied.resolve("enigm.db")), "nothing is overwritten");

        Path restored = temp.resolve("restored");
        assertEquals(0, tool("restore", "--from", backup.toString(), "--home", restored.toString()));
        assertEquals(DatabaseFile.check(backup.resolve(DatabaseFile.NAME)).blobIds(),
                new BlobFiles(restored).list().keySet());
        assertEquals("key\n", Files.readString(restored.resolve("secrets/installation-key")));
        assertEquals(2, tool("restore", "--from", backup.toString()), "restore names the data home");
    }

    @Test
    void secretsKeptElsewhereAreRestoredWithoutTheirLaterAuditCheckpointCopy() throws Exception {
        Path home = home();
        Files.writeString(home.resolve("secrets/installation-key"), "key\n");
        Files.writeString(home.resolve("secrets/audit-checkpoint"), "9\n");
        Path backup = temp.resolve("backup");
        assertEquals(0, tool("backup", "--home", home.toString(), "--to", backup.toString()));
        Path restored = temp.resolve("restored");
        assertEquals(0, tool("restore", "--from", backup.toString(), "--home", restored.toString(),
                "--secrets", home.resolve("secrets").toString()));
        assertEquals("key\n", Files.readString(restored.resolve("secrets/installation-key")));
        assertFalse(Files.exists(restored.resolve("secrets/audit-checkpoint")));
    }

    @Test
    void rowsDeletedBeforeTheBackupLeaveNoTraceInItsDatabase() throws Exception {
        Path home = home();
        byte[] canary = "deleted-row-canary ".repeat(200).getBytes(StandardCharsets.UTF_8);
        try (Connection db = open(home); Statement statement = db.createStatement()) {
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO content_object (id, inline_bytes) VALUES (?, ?)")) {
                for (int i = 0; i < 50; i++) {
                    insert.setString(1, id(i));
                    insert.setBytes(2, canary);
                    insert.executeUpdate();
                }
            }
            statement.execute("DELETE FROM content_object");
            statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        assertTrue(contains(Files.readAllBytes(home.resolve("enigm.db")), canary),
                "the live file still holds the deleted rows (no secure_delete here)");
        Path backup = temp.resolve("backup");
        assertEquals(0, tool("backup", "--home", home.toString(), "--to", backup.toString()));
        assertFalse(contains(Files.readAllBytes(backup.resolve("enigm.db")), canary),
                "the copy holds no free page with them");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aDirectoryWithoutAFinishedBackupIsRefused() throws Exception {
        Path unfinished = Files.createDirectories(temp.resolve("unfinished"));
        Files.writeString(unfinished.resolve("enigm.db.part"), "");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        assertEquals(1, BackupTool.run(List.of("restore", "--from", unfinished.toString(), "--home",
                temp.resolve("new").toString()), new PrintStream(said, true, StandardCharsets.UTF_8)));
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("holds no finished backup"), said.toString());
        assertFalse(Files.exists(temp.resolve("new")), "no data home is made");
    }

    private Path home() throws IOException, SQLException {
        Path home = PrivateFiles.directory(temp.resolve("home"));
        PrivateFiles.directory(home.resolve("secrets"));
        PrivateFiles.directory(home.resolve("config"));
        Files.writeString(home.resolve("config/io.enigm.server.store.config"), "maxBatch=I\"64\"\n");
        try (Connection db = open(home); Statement statement = db.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY)");
            statement.execute("INSERT INTO schema_version VALUES (26)");
            statement.execute("CREATE TABLE content_object (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " id TEXT NOT NULL UNIQUE, inline_bytes BLOB)");
        }
        return home;
    }

    /**
     * Publishes objects and deletes the oldest, in the content bundle's order, until told to stop:
     * about a thousand a second, each gone fifty objects later. Without the pause, on a disk with
     * cheap syncs an object lived a few milliseconds, less than one snapshot takes, and every retry lost.
     */
    private static void write(Path home, AtomicBoolean writing, AtomicReference<Exception> failed) {
        Deque<String> live = new ArrayDeque<>();
        try (Connection db = open(home)) {
            for (int n = 0; writing.get(); n++) {
                String id = id(n);
                insert(db, home, id);
                live.add(id);
                Thread.sleep(1);
                if (live.size() > 50) {
                    String gone = live.poll();
                    try (PreparedStatement delete = db.prepareStatement("DELETE FROM content_object WHERE id = ?")) {
                        delete.setString(1, gone);
                        delete.executeUpdate();
                    }
                    Files.delete(blob(home, gone));
                }
            }
        } catch (Exception e) {
            failed.set(e);
        }
    }

    private static void insert(Connection db, Path home, String id) throws IOException, SQLException {
        Path blob = blob(home, id);
        Files.createDirectories(blob.getParent());
        Files.write(blob, new byte[70_000]);
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO content_object (id) VALUES (?)")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
    }

    /** Ids as the content bundle makes them: time first, the directory from characters 18 and 19. */
    private static String id(int n) {
        return "%018d%02x%s".formatted(n, n % 256, "rest");
    }

    private static Path blob(Path home, String id) {
        return home.resolve("content/objects").resolve(id.substring(18, 20)).resolve(id);
    }

    private static Connection open(Path home) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        return config.createConnection("jdbc:sqlite:" + home.resolve("enigm.db"));
    }

    private static int tool(String... args) {
        return BackupTool.run(List.of(args), System.err);
    }
}
