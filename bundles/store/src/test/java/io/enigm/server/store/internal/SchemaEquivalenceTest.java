package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;

/**
 * The PostgreSQL baseline and SQLite's history end in the same schema: the same tables, the same
 * columns with the same nullability and primary keys, and the same indexes, so that the same SQL
 * runs on both and an installation can move from one to the other.
 */
class SchemaEquivalenceTest {

    @TempDir
    Path sqliteHome;
    @TempDir
    Path postgresHome;

    @Test
    void bothEnginesEndInTheSameTablesColumnsKeysAndIndexes() throws Exception {
        try (GroupCommitDatabase sqlite = (GroupCommitDatabase) TestDatabases.open(TestDatabases.home(sqliteHome), "");
                GroupCommitDatabase postgres = (GroupCommitDatabase) TestDatabases.open(
                        TestDatabases.home(postgresHome), TestPostgres.shared().newDatabase())) {
            assertEquals(describe(sqlite, null), describe(postgres, "public"));
            assertEquals(indexes(sqlite, "SELECT name FROM sqlite_master WHERE type = 'index'"
                    + " AND name NOT LIKE 'sqlite_autoindex%'"),
                    indexes(postgres, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
                            + " AND indexname NOT IN (SELECT conname FROM pg_constraint)"));
        }
    }

    /** Table → its columns as "name NULL|NOT NULL", and its primary key. */
    private static Map<String, Set<String>> describe(Database database, String schema) {
        return database.read(handle -> {
            try {
                Map<String, Set<String>> tables = new TreeMap<>();
                DatabaseMetaData metadata = connection(handle).getMetaData();
                try (ResultSet table = metadata.getTables(null, schema, "%", new String[] {"TABLE"})) {
                    while (table.next()) {
                        String name = table.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                        if (!name.startsWith("sqlite_")) {
                            tables.put(name, columns(metadata, schema, table.getString("TABLE_NAME")));
                        }
                    }
                }
                return tables;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A primary key's columns count as NOT NULL: PostgreSQL says so, SQLite's metadata does not. */
    private static Set<String> columns(DatabaseMetaData metadata, String schema, String table) throws SQLException {
        Set<String> key = new TreeSet<>();
        try (ResultSet column = metadata.getPrimaryKeys(null, schema, table)) {
            while (column.next()) {
                key.add(column.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        Set<String> columns = new TreeSet<>();
        try (ResultSet column = metadata.getColumns(null, schema, table, "%")) {
            while (column.next()) {
                String name = column.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                boolean notNull = key.contains(name) || column.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls;
                columns.add(name + (notNull ? " NOT NULL" : " NULL"));
            }
        }
        key.forEach(column -> columns.add("primary key " + column));
        return columns;
    }

    private static Set<String> indexes(Database database, String query) {
        return database.read(handle -> new TreeSet<>(handle.createQuery(query).mapTo(String.class).list()));
    }

    private static Connection connection(Handle handle) {
        return handle.getConnection();
    }
}
