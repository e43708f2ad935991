package io.enigm.server.store;

import io.enigm.server.store.internal.SqlNames;

/** Names that the store's helpers write into statements: plain SQL identifiers only, never input. */
final class SqlIdentifiers {

    private SqlIdentifiers() {
    }

    static String plain(String name) {
        return SqlNames.plain(name);
    }
}
