package io.enigm.server.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import org.sqlite.SQLiteConfig;

/**
 * The data home's SQLite database, opened by this process beside a running server (WAL mode lets a
 * reader in another process see one committed state while the server goes on writing).
 */
final class DatabaseFile {

    static final String NAME = "enigm.db";

    /** How long to wait for a lock the server holds briefly (a checkpoint, WAL recovery). */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private DatabaseFile() {
    }

    /** What a snapshot holds that the rest of the backup must match. */
    record Contents(int schemaVersion, Set<String> blobIds) {
    }

    /**
     * Writes a consistent copy of {@code live} to {@code target} with {@code VACUUM INTO}: one read
     * transaction, so the copy is the database as one commit left it, whatever the server writes
     * meanwhile. The copy is compact and holds no free pages, so nothing deleted before the snapshot
     * lingers in it.
     */
    static void snapshot(Path live, Path target) {
        if (!Files.isRegularFile(live)) {
            throw new ToolException("no database at " + live);
        }
        try (Connection connection = open(live); Statement statement = connection.createStatement()) {
            statement.execute("VACUUM INTO '" + target.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new ToolException("the database " + live + " could not be copied: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a copy (SQLite's quick_check) and reads what the rest of the backup must match: the
     * schema version and the ids of the content objects whose bytes are in the blob store.
     */
    static Contents check(Path copy) {
        try (Connection connection = open(copy); Statement statement = connection.createStatement()) {
            try (ResultSet check = statement.executeQuery("PRAGMA quick_check")) {
                String result = check.next() ? check.getString(1) : "no answer";
                if (!"ok".equals(result)) {
                    throw new ToolException("the database copy " + copy + " is damaged: " + result);
                }
            }
            return new Contents(schemaVersion(statement), blobIds(statement));
        } catch (SQLException e) {
            throw new ToolException("the database copy " + copy + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static int schemaVersion(Statement statement) throws SQLException {
        if (!hasTable(statement, "schema_version")) {
            return 0;
        }
        try (ResultSet version = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            version.next();
            return version.getInt(1);
        }
    }

    /** Objects larger than their row's inline limit keep their bytes in content/objects (the content bundle's BlobStore). */
    private static Set<String> blobIds(Statement statement) throws SQLException {
        Set<String> ids = new HashSet<>();
        if (!hasTable(statement, "content_object")) {
            return ids; // a data home from before content (schema V17)
        }
        try (ResultSet rows = statement.executeQuery("SELECT id FROM content_object WHERE inline_bytes IS NULL")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static boolean hasTable(Statement statement, String table) throws SQLException {
        try (ResultSet found = statement.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            return found.next();
        }
    }

    /** Read-only: the tool never writes to the server's database, nor changes a copy it checks. */
    private static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // as the server: nothing spills into a temporary file outside the data home
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return config.createConnection("jdbc:sqlite:" + file);
    }
}
