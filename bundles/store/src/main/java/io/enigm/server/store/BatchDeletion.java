package io.enigm.server.store;

import java.util.List;
import java.util.Map;

/**
 * One batch of a sweep: at most {@code limit} rows of {@code table} for which {@code condition}
 * holds. The table has an {@code id} key and an {@code environment_id} column.
 *
 * @param table      the table, a plain SQL identifier
 * @param condition  portable SQL over the table's columns, with named parameters
 * @param parameters the values of the condition's parameters
 * @param limit      the most rows the batch deletes
 * @param referrers  columns of other tables holding the id of a row to delete: set to NULL first,
 *                   so foreign keys hold while the rows that referred keep their own life
 */
public record BatchDeletion(String table, String condition, Map<String, ?> parameters, int limit,
        List<Referrer> referrers) {

    /** A column of {@code table} that holds the id of a row of the batch's table. */
    public record Referrer(String table, String column) {

        public Referrer {
            SqlIdentifiers.plain(table);
            SqlIdentifiers.plain(column);
        }
    }

    public BatchDeletion {
        SqlIdentifiers.plain(table);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        parameters = Map.copyOf(parameters);
        referrers = List.copyOf(referrers);
    }
}
