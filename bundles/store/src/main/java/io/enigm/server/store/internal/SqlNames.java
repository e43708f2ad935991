package io.enigm.server.store.internal;

import java.util.regex.Pattern;

/** Names written into statements (tables, columns, channels): plain SQL identifiers only, never input. */
public final class SqlNames {

    private static final Pattern PLAIN = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private SqlNames() {
    }

    /** {@code name}, if it is a plain lower-case SQL identifier. */
    public static String plain(String name) {
        if (name == null || !PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
        return name;
    }
}
