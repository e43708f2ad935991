package io.enigm.server.store.internal;

/**
 * The database engines the store runs on. Everything that differs between them (schema history,
 * connection set-up, batch deletion) is chosen here, inside the store; other bundles write SQL
 * that both accept.
 */
enum Dialect {

    /** The embedded default: one file under the data home, one process. */
    SQLITE("migration/"),
    /** Several nodes of one installation on one PostgreSQL database. */
    POSTGRESQL("migration/postgresql/");

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    /** The engine a JDBC URL names; an empty URL means the embedded SQLite file. */
    static Dialect of(String url) {
        if (url == null || url.isBlank() || url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL scheme: only jdbc:postgresql: URLs"
                + " (or none, for the embedded SQLite file) are supported");
    }

    /** The resource directory whose {@code index} lists this engine's migrations. */
    String migrations() {
        return migrations;
    }
}
