package io.enigm.server.store;

import java.util.regex.Pattern;

/** Names that the store's helpers write into statements: plain SQL identifiers only, never input. */
final class SqlIdentifiers {

    private static final Pattern PLAIN = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private SqlIdentifiers() {
    }

    static String plain(String name) {
        if (name == null || !PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }
}
