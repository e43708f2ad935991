package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import io.enigm.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SqliteDatabaseTest {

    @TempDir
    Path home;

    public static StoreConfiguration configuration() {
        return new StoreConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StoreConfiguration.class;
            }

            @Override
            public String databaseFile() {
                return "enigm.db";
            }

            @Override
            public int busyTimeoutMillis() {
                return 5000;
            }

            @Override
            public boolean durableCommits() {
                return true;
            }
        };
    }

    private Database open() {
        return TestDatabases.open(TestDatabases.home(home));
    }

    private static long count(Database database, String table) {
        return database.read(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    @Test
    void migratesOnceAndUsesWalWithForeignKeys() {
        Database database = open();
        assertEquals("wal", database.read(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one()));
        assertEquals(Integer.valueOf(1), database.read(h -> h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one()));
        // A second start finds the schema applied and applies nothing again.
        Database again = open();
        assertEquals(1L, count(again, "schema_version"));
        assertThrows(UnableToExecuteStatementException.class, () -> again.inTransaction(h -> h.execute(
                "INSERT INTO admin_token (id, token_hash, role, environment_id, label, created_at)"
                        + " VALUES ('t', 'h', 'ADMINISTRATOR', 'no-such-environment', 'x', 0)")));
    }

    @Test
    void nestedWorkJoinsTheOuterTransactionAndRollsBackWithIt() {
        Database database = open();
        assertThrows(IllegalStateException.class, () -> database.inTransaction(outer -> {
            outer.execute("INSERT INTO environment (id, server_id, name, state, created_at)"
                    + " VALUES ('e1', 's1', 'n', 'ACTIVE', 0)");
            database.inTransaction(inner -> inner.execute("INSERT INTO environment (id, server_id, name, state,"
                    + " created_at) VALUES ('e2', 's2', 'n', 'ACTIVE', 0)"));
            throw new IllegalStateException("abort");
        }));
        assertEquals(0L, count(database, "environment"));

        database.inTransaction(outer -> database.inTransaction(inner -> inner.execute(
                "INSERT INTO environment (id, server_id, name, state, created_at) VALUES ('e3', 's3', 'n', 'ACTIVE', 0)")));
        assertEquals(1L, count(database, "environment"));
    }

    @Test
    void auditRecordsCannotBeChangedOrRemoved() {
        Database database = open();
        database.inTransaction(h -> h.execute("INSERT INTO audit_record (sequence, recorded_at, action, outcome,"
                + " previous_hash, hash) VALUES (1, 0, 'a', 'ALLOWED', '0', '1')"));
        assertThrows(UnableToExecuteStatementException.class,
                () -> database.inTransaction(h -> h.execute("UPDATE audit_record SET action = 'b'")));
        assertThrows(UnableToExecuteStatementException.class,
                () -> database.inTransaction(h -> h.execute("DELETE FROM audit_record")));
        assertEquals(1L, count(database, "audit_record"));
    }

    @Test
    void secretsAreOwnerOnlyAndReplacedAtomically() throws Exception {
        FileDataHome dataHome = new FileDataHome(home);
        Path file = dataHome.writeSecret("owner-token", "s3cret".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataHome.secrets())));
        assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), dataHome.readSecret("owner-token").orElseThrow());
        dataHome.writeSecret("owner-token", "n3w".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("n3w".getBytes(StandardCharsets.UTF_8), dataHome.readSecret("owner-token").orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertThrows(IllegalArgumentException.class, () -> dataHome.readSecret("../escape"));
        try (var files = Files.list(dataHome.secrets())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void splitsScriptsAtStatementEndsButNotInsideTriggers() {
        List<String> statements = SchemaMigrator.statements(
                "CREATE TABLE a (x INTEGER);\n-- note\nCREATE TRIGGER t BEFORE DELETE ON a\nBEGIN\n    SELECT 1;\nEND;\n");
        assertEquals(2, statements.size());
        assertTrue(statements.get(1).contains("SELECT 1;"));
    }
}
