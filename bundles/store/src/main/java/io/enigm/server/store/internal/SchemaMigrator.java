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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date from the versioned SQL scripts listed in
 * {@code migration/index}, each applied once, in order, in its own transaction. A script that was
 * applied and then edited is refused: migrations are history, not configuration.
 */
final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final String INDEX = "migration/index";
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

    record Migration(int version, String description, String sql, String checksum) {
    }

    private SchemaMigrator() {
    }

    /** Applies what is missing and returns the schema version reached. */
    static int migrate(Jdbi jdbi) {
        return migrate(jdbi, load());
    }

    /** Applies what is missing of {@code migrations}, the first ones of {@link #load()}. */
    static int migrate(Jdbi jdbi, List<Migration> migrations) {
        return jdbi.withHandle(handle -> {
            handle.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                    + " checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            Map<Integer, String> applied = handle
                    .createQuery("SELECT version, checksum FROM schema_version")
                    .reduceRows(new java.util.HashMap<Integer, String>(), (map, row) -> {
                        map.put(row.getColumn("version", Integer.class), row.getColumn("checksum", String.class));
                        return map;
                    });
            int reached = 0;
            for (Migration migration : migrations) {
                String checksum = applied.get(migration.version());
                if (checksum == null) {
                    apply(handle, migration);
                } else if (!checksum.equals(migration.checksum())) {
                    throw new IllegalStateException("migration V" + migration.version()
                            + " was changed after it was applied");
                }
                reached = migration.version();
            }
            return reached;
        });
    }

    /**
     * Runs one script in a transaction with foreign keys off, and checks every reference before it
     * commits. SQLite changes a table beyond adding a column only by rebuilding it (create, copy,
     * drop, rename); enforced, the drop would delete what other tables refer to. The pragma has
     * no effect inside a transaction, so it is set around it.
     */
    private static void apply(Handle handle, Migration migration) {
        handle.execute("PRAGMA foreign_keys = OFF");
        try {
            handle.useTransaction(transaction -> {
                for (String statement : statements(migration.sql())) {
                    transaction.execute(statement);
                }
                List<String> broken = transaction.createQuery("PRAGMA foreign_key_check")
                        .map((rs, ctx) -> rs.getString("table")).list();
                if (!broken.isEmpty()) {
                    throw new IllegalStateException("migration V" + migration.version()
                            + " leaves broken references in " + new TreeSet<>(broken));
                }
                transaction.createUpdate("INSERT INTO schema_version (version, description, checksum, applied_at)"
                        + " VALUES (:version, :description, :checksum, :appliedAt)")
                        .bind("version", migration.version())
                        .bind("description", migration.description())
                        .bind("checksum", migration.checksum())
                        .bind("appliedAt", System.currentTimeMillis())
                        .execute();
            });
        } finally {
            handle.execute("PRAGMA foreign_keys = ON");
        }
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

    static List<Migration> load() {
        List<Migration> migrations = new ArrayList<>();
        for (String name : read(INDEX).lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList())) {
            Matcher matcher = SCRIPT.matcher(name);
            if (!matcher.matches()) {
                throw new IllegalStateException("bad migration name " + name);
            }
            int version = Integer.parseInt(matcher.group(1));
            if (version != migrations.size() + 1) {
                throw new IllegalStateException("migration " + name + " is out of sequence");
            }
            String sql = read("migration/" + name);
            migrations.add(new Migration(version, matcher.group(2), sql, sha256(sql)));
        }
        return migrations;
    }

    private static String read(String resource) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
