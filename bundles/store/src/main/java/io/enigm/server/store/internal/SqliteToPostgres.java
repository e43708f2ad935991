package io.enigm.server.store.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;

/**
 * Moves an installation's data from its SQLite file into an empty PostgreSQL database: the schema
 * first (PostgreSQL's migrations, up to the version the SQLite file has reached), then every row of
 * every table, in one PostgreSQL transaction, unchanged (the audit chain's records keep their
 * sequence numbers, salts and hashes, so the moved chain verifies as it did). Tables are filled
 * after those they refer to; a column that refers to its own table is filled once all of the
 * table's rows are in. Each table's row count is compared before the commit.
 */
final class SqliteToPostgres {

    private static final int BATCH = 1_000;

    /** Rows moved, by table, in the order they were filled, and the large objects' bytes. */
    record Moved(Map<String, Long> rows, ObjectFilesToChunks.Moved objectBytes) {
    }

    private SqliteToPostgres() {
    }

    /**
     * @param sqlite   the installation's SQLite file, read in one snapshot (the server should be
     *                 stopped: what it writes after the snapshot is not moved)
     * @param postgres an empty database (or one only migrated), written as one transaction
     * @param objectFiles where the installation keeps large objects' bytes as files; they move into
     *                 the database with the rows
     */
    static Moved move(DataSource sqlite, DataSource postgres, Path objectFiles) throws SQLException, IOException {
        try (Connection from = sqlite.getConnection(); Connection to = postgres.getConnection()) {
            from.setAutoCommit(false);
            from.setReadOnly(true);
            int version = schemaVersion(from);
            int reached = SchemaMigrator.migrate(Jdbi.create(postgres), Dialect.POSTGRESQL);
            if (reached != version) {
                throw new IllegalStateException("the SQLite file is at schema version " + version
                        + " and this release's PostgreSQL schema at " + reached + ": start the server once on"
                        + " the SQLite file with this release (it migrates the file), stop it, then move");
            }
            to.setAutoCommit(false);
            try {
                Map<String, Long> rows = copyAll(from, to);
                ObjectFilesToChunks.Moved objectBytes = ObjectFilesToChunks.move(objectFiles, to);
                to.commit();
                return new Moved(rows, objectBytes);
            } catch (SQLException | IOException | RuntimeException e) {
                to.rollback();
                throw e;
            }
        }
    }

    private static int schemaVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            version.next();
            return version.getInt(1);
        }
    }

    private static Map<String, Long> copyAll(Connection from, Connection to) throws SQLException {
        Map<String, Set<String>> references = references(to);
        Map<String, Long> moved = new LinkedHashMap<>();
        try (Statement statement = to.createStatement()) {
            // The row the PIN lives in is made by the schema; the installation's own replaces it.
            statement.execute("DELETE FROM critical_operation_pin");
        }
        for (String table : fillingOrder(references)) {
            requireEmpty(to, table);
            long rows = copy(from, to, table, selfReferences(to, table));
            if (rows != count(to, table)) {
                throw new IllegalStateException("table " + table + ": " + rows + " rows read, " + count(to, table)
                        + " written");
            }
            moved.put(table, rows);
        }
        restartIdentities(to);
        return moved;
    }

    /** Every table but the schema's history, with the tables it refers to (itself excluded). */
    private static Map<String, Set<String>> references(Connection to) throws SQLException {
        Map<String, Set<String>> references = new LinkedHashMap<>();
        DatabaseMetaData metadata = to.getMetaData();
        try (ResultSet tables = metadata.getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                String table = tables.getString("TABLE_NAME");
                if (!table.equals("schema_version")) {
                    references.put(table, new LinkedHashSet<>());
                }
            }
        }
        for (Map.Entry<String, Set<String>> table : references.entrySet()) {
            try (ResultSet keys = metadata.getImportedKeys(null, "public", table.getKey())) {
                while (keys.next()) {
                    String referred = keys.getString("PKTABLE_NAME");
                    if (!referred.equals(table.getKey())) {
                        table.getValue().add(referred);
                    }
                }
            }
        }
        return references;
    }

    private static List<String> fillingOrder(Map<String, Set<String>> references) {
        List<String> order = new ArrayList<>();
        while (order.size() < references.size()) {
            int before = order.size();
            references.forEach((table, referred) -> {
                if (!order.contains(table) && order.containsAll(referred)) {
                    order.add(table);
                }
            });
            if (order.size() == before) {
                throw new IllegalStateException("tables refer to each other in a cycle");
            }
        }
        return order;
    }

    private static Set<String> selfReferences(Connection to, String table) throws SQLException {
        Set<String> columns = new LinkedHashSet<>();
        try (ResultSet keys = to.getMetaData().getImportedKeys(null, "public", table)) {
            while (keys.next()) {
                if (keys.getString("PKTABLE_NAME").equals(table)) {
                    columns.add(keys.getString("FKCOLUMN_NAME"));
                }
            }
        }
        return columns;
    }

    private static void requireEmpty(Connection to, String table) throws SQLException {
        if (count(to, table) != 0) {
            throw new IllegalStateException("the PostgreSQL database is not empty (table " + table
                    + " has rows): move into a new database");
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + SqlNames.plain(table))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * Copies the rows, self-referring columns left empty, then sets those by key. The target's column
     * types decide how each value is bound (SQLite's are only affinities).
     */
    private static long copy(Connection from, Connection to, String table, Set<String> selfReferring)
            throws SQLException {
        Map<String, Integer> types = columnTypes(to, table);
        List<String> columns = new ArrayList<>(types.keySet());
        List<String> key = primaryKey(to, table);
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(column -> "?").toList()) + ")";
        long rows = 0;
        List<Object[]> later = new ArrayList<>();
        try (Statement read = from.createStatement();
                ResultSet row = read.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table);
                PreparedStatement write = to.prepareStatement(insert)) {
            while (row.next()) {
                for (int i = 0; i < columns.size(); i++) {
                    Object value = selfReferring.contains(columns.get(i)) ? null : row.getObject(i + 1);
                    bind(write, i + 1, types.get(columns.get(i)), value);
                }
                write.addBatch();
                if (!selfReferring.isEmpty()) {
                    later.add(values(row, columns, key, selfReferring));
                }
                if (++rows % BATCH == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
        }
        fillSelfReferences(to, table, key, selfReferring, types, later);
        return rows;
    }

    private static Object[] values(ResultSet row, List<String> columns, List<String> key, Set<String> wanted)
            throws SQLException {
        List<Object> values = new ArrayList<>();
        for (String column : wanted) {
            values.add(row.getObject(columns.indexOf(column) + 1));
        }
        for (String column : key) {
            values.add(row.getObject(columns.indexOf(column) + 1));
        }
        return values.toArray();
    }

    private static void fillSelfReferences(Connection to, String table, List<String> key, Set<String> columns,
            Map<String, Integer> types, List<Object[]> rows) throws SQLException {
        if (columns.isEmpty()) {
            return;
        }
        List<String> assigned = columns.stream().map(column -> column + " = ?").toList();
        List<String> matched = key.stream().map(column -> column + " = ?").toList();
        try (PreparedStatement update = to.prepareStatement("UPDATE " + table + " SET " + String.join(", ", assigned)
                + " WHERE " + String.join(" AND ", matched))) {
            List<String> order = new ArrayList<>(columns);
            order.addAll(key);
            for (Object[] values : rows) {
                for (int i = 0; i < values.length; i++) {
                    bind(update, i + 1, types.get(order.get(i)), values[i]);
                }
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static void bind(PreparedStatement statement, int index, int type, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, type);
        } else if (type == Types.BIGINT || type == Types.INTEGER || type == Types.SMALLINT) {
            statement.setLong(index, ((Number) value).longValue());
        } else if (type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY) {
            statement.setBytes(index, (byte[]) value);
        } else {
            statement.setString(index, value.toString());
        }
    }

    /** The target table's columns, in order, with their JDBC types. */
    private static Map<String, Integer> columnTypes(Connection to, String table) throws SQLException {
        Map<String, Integer> types = new LinkedHashMap<>();
        try (ResultSet column = to.getMetaData().getColumns(null, "public", table, "%")) {
            while (column.next()) {
                types.put(column.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), column.getInt("DATA_TYPE"));
            }
        }
        return types;
    }

    private static List<String> primaryKey(Connection to, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (ResultSet column = to.getMetaData().getPrimaryKeys(null, "public", table)) {
            while (column.next()) {
                key.add(column.getString("COLUMN_NAME"));
            }
        }
        return key;
    }

    /** Identity columns continue after the highest value moved. */
    private static void restartIdentities(Connection to) throws SQLException {
        List<String[]> identities = new ArrayList<>();
        try (Statement statement = to.createStatement();
                ResultSet column = statement.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                        + " WHERE table_schema = 'public' AND is_identity = 'YES'")) {
            while (column.next()) {
                identities.add(new String[] {column.getString(1), column.getString(2)});
            }
        }
        for (String[] identity : identities) {
            String table = SqlNames.plain(identity[0]);
            String column = SqlNames.plain(identity[1]);
            try (Statement statement = to.createStatement()) {
                statement.execute("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'),"
                        + " COALESCE(MAX(" + column + "), 1), MAX(" + column + ") IS NOT NULL) FROM " + table);
            }
        }
    }
}
