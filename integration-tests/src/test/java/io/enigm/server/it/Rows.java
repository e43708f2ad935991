package io.enigm.server.it;

import java.util.Map;

import io.enigm.server.store.Database;

/** Row counts read from the store: what a test expects to have been written, or left alone. */
final class Rows {

    private Rows() {
    }

    /** Every row of {@code table}. */
    static long count(Database database, String table) {
        return count(database, table, "1 = 1", Map.of());
    }

    /** The rows of {@code table} where {@code condition} holds, its named {@code parameters} bound. */
    static long count(Database database, String table, String condition, Map<String, ?> parameters) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table + " WHERE " + condition)
                .bindMap(parameters).mapTo(Long.class).one());
    }
}
