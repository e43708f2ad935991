package io.enigm.server.store;

import org.jdbi.v3.core.statement.SqlStatement;

import io.enigm.server.common.Keyset;

/**
 * The SQL side of keyset paging: the condition that starts a page after a {@link Keyset} position
 * in a list ordered by (created_at, id), and its bindings. A row-value comparison (SQL:1999, SQLite
 * 3.15+, PostgreSQL): unlike the equivalent {@code OR} of two comparisons, databases seek an index
 * on (…, created_at, id) to it, so the last page of a long list costs what the first does.
 */
public final class KeysetCondition {

    private KeysetCondition() {
    }

    /**
     * The condition, starting with {@code AND}, for columns with the table alias {@code prefix}
     * (e.g. {@code "m."} or {@code ""}); empty on the first page ({@code position} null).
     */
    public static String after(Keyset position, String prefix) {
        return position == null ? ""
                : " AND (" + prefix + "created_at, " + prefix + "id) > (:afterCreated, :afterId)";
    }

    /** Binds {@code position} to the statement that holds {@link #after}'s condition; on the first page, nothing. */
    public static <S extends SqlStatement<S>> S bind(S statement, Keyset position) {
        return position == null ? statement
                : statement.bind("afterCreated", position.createdAt()).bind("afterId", position.id());
    }
}
