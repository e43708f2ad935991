package io.enigm.server.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date from the versioned SQL scripts listed in the dialect's
 * {@code index}, each applied once, in order, in its own transaction. A script that was applied
 * and then edited is refused: migrations are history, not configuration.
 *
 * <p>SQLite's index is the whole history from V1. PostgreSQL's begins with a baseline that stands
 * for the versions up to its own (the schema SQLite's history leaves); every later version names a
 * script of its own directory if the engines need different SQL, otherwise the shared one.
 */
final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final String SHARED = Dialect.SQLITE.migrations();
    /** Held while one node migrates, so that nodes started together apply each script once. */
    private static final long MIGRATION_LOCK = 0x656e69676d4d4947L;
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

    record Migration(int version, String description, String sql, String checksum) {
    }

    private SchemaMigrator() {
    }

    /** Applies what is missing and returns the schema version reached. */
    static int migrate(Jdbi jdbi, Dialect dialect) {
        return migrate(jdbi, dialect, load(dialect));
    }

    /** Applies what is missing of {@code migrations}, the first ones of SQLite's {@link #load()}. */
    static int migrate(Jdbi jdbi, List<Migration> migrations) {
        return migrate(jdbi, Dialect.SQLITE, migrations);
    }

    static int migrate(Jdbi jdbi, Dialect dialect, List<Migration> migrations) {
        return jdbi.withHandle(handle -> {
            if (dialect == Dialect.POSTGRESQL) {
                advisory(handle, "pg_advisory_lock");
            }
            try {
                return migrate(handle, dialect, migrations);
            } finally {
                if (dialect == Dialect.POSTGRESQL) {
                    advisory(handle, "pg_advisory_unlock");
                }
            }
        });
    }

    private static void advisory(Handle handle, String function) {
        handle.createQuery("SELECT " + function + "(:key)").bind("key", MIGRATION_LOCK).mapToMap().one();
    }

    private static int migrate(Handle handle, Dialect dialect, List<Migration> migrations) {
        handle.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                + " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                + " checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        Map<Integer, String> applied = handle
                .createQuery("SELECT version, checksum FROM schema_version")
                .reduceRows(new java.util.HashMap<Integer, String>(), (map, row) -> {
                    map.put(row.getColumn("version", Integer.class), row.getColumn("checksum", String.class));
                    return map;
                });
        int reached = 0;
        for (Migration migration : migrations) {
            String checksum = applied.get(migration.version());
            if (checksum == null && dialect == Dialect.SQLITE) {
                applyWithoutForeignKeys(handle, migration);
            } else if (checksum == null) {
                apply(handle, migration);
            } else if (!checksum.equals(migration.checksum())) {
                throw new IllegalStateException("migration V" + migration.version()
                        + " was changed after it was applied");
            }
            reached = migration.version();
        }
        return reached;
    }

    /**
     * Runs one script in a transaction with foreign keys off, and checks every reference before it
     * commits. SQLite changes a table beyond adding a column only by rebuilding it (create, copy,
     * drop, rename); enforced, the drop would delete what other tables refer to. The pragma has
     * no effect inside a transaction, so it is set around it.
     */
    private static void applyWithoutForeignKeys(Handle handle, Migration migration) {
        handle.execute("PRAGMA foreign_keys = OFF");
        try {
            apply(handle, migration, transaction -> {
                List<String> broken = transaction.createQuery("PRAGMA foreign_key_check")
                        .map((rs, ctx) -> rs.getString("table")).list();
                if (!broken.isEmpty()) {
                    throw new IllegalStateException("migration V" + migration.version()
                            + " leaves broken references in " + new TreeSet<>(broken));
                }
            });
        } finally {
            handle.execute("PRAGMA foreign_keys = ON");
        }
    }

    /** Runs one script in a transaction: PostgreSQL changes tables in place and checks references as it goes. */
    private static void apply(Handle handle, Migration migration) {
        apply(handle, migration, transaction -> { });
    }

    private static void apply(Handle handle, Migration migration, Consumer<Handle> check) {
        handle.useTransaction(transaction -> {
            for (String statement : statements(migration.sql())) {
                transaction.execute(statement);
            }
            check.accept(transaction);
            transaction.createUpdate("INSERT INTO schema_version (version, description, checksum, applied_at)"
                    + " VALUES (:version, :description, :checksum, :appliedAt)")
                    .bind("version", migration.version())
                    .bind("description", migration.description())
                    .bind("checksum", migration.checksum())
                    .bind("appliedAt", System.currentTimeMillis())
                    .execute();
        });
        LOG.info("Applied schema migration V{} ({})", migration.version(), migration.description());
    }

    /**
     * Splits a script into statements at lines that end with {@code ;}. A trigger body keeps its
     * inner statements indented, so only an unindented {@code END;} or statement end splits.
     */
    static List<String> statements(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (line.isBlank() || line.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            boolean indented = Character.isWhitespace(line.charAt(0));
            if (!indented && line.stripTrailing().endsWith(";")) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("migration script does not end with ;");
        }
        return statements;
    }

    /** SQLite's migrations, the whole history. */
    static List<Migration> load() {
        return load(Dialect.SQLITE);
    }

    static List<Migration> load(Dialect dialect) {
        List<Migration> migrations = new ArrayList<>();
        String index = read(dialect.migrations() + "index")
                .orElseThrow(() -> new IllegalStateException("missing migration index of " + dialect));
        for (String name : index.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList())) {
            Matcher matcher = SCRIPT.matcher(name);
            if (!matcher.matches()) {
                throw new IllegalStateException("bad migration name " + name);
            }
            int version = Integer.parseInt(matcher.group(1));
            boolean baseline = migrations.isEmpty() && dialect != Dialect.SQLITE;
            if (!baseline && version != (migrations.isEmpty() ? 1 : migrations.get(migrations.size() - 1).version() + 1)) {
                throw new IllegalStateException("migration " + name + " is out of sequence");
            }
            String sql = read(dialect.migrations() + name).or(() -> read(SHARED + name))
                    .orElseThrow(() -> new IllegalStateException("missing migration " + name));
            migrations.add(new Migration(version, matcher.group(2), sql, sha256(sql)));
        }
        return migrations;
    }

    private static Optional<String> read(String resource) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream(resource)) {
            return in == null ? Optional.empty()
                    : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
