package io.enigm.server.store.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The launcher's {@code move-to-postgresql}: copies a stopped installation's SQLite file into an
 * empty PostgreSQL database ({@link SqliteToPostgres}), after which its nodes start with
 * {@code --database-url}. Run on a plain class path (the store's, Jdbi's and the two drivers' jars).
 *
 * <pre>move-to-postgresql --home DIR --database-url jdbc:postgresql://HOST:PORT/DB [--user ROLE]</pre>
 */
public final class MoveToPostgres {

    private MoveToPostgres() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path home = null;
        String url = null;
        String user = "enigm";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[i + 1]);
                case "--database-url" -> url = args[i + 1];
                case "--user" -> user = args[i + 1];
                default -> {
                    err.println("move-to-postgresql: unknown option " + args[i]);
                    return 2;
                }
            }
        }
        if (home == null || url == null || args.length % 2 != 0 || Dialect.of(url) != Dialect.POSTGRESQL) {
            err.println("usage: move-to-postgresql --home DIR --database-url jdbc:postgresql://HOST:PORT/DB"
                    + " [--user ROLE]");
            return 2;
        }
        try {
            Path file = home.resolve("enigm.db");
            if (!Files.isRegularFile(file)) {
                err.println("move-to-postgresql: no SQLite database at " + file);
                return 1;
            }
            SqliteToPostgres.Moved moved = SqliteToPostgres.move(sqlite(file), postgres(home, url, user),
                    home.resolve("content").resolve("objects"));
            moved.rows().forEach((table, rows) -> out.println(table + ": " + rows + " rows"));
            ObjectFilesToChunks.Moved objects = moved.objectBytes();
            out.println("large objects: " + objects.objects() + " (" + objects.bytes() + " bytes) moved into"
                    + " content_chunk; " + objects.unclaimedFiles() + " files no object claims left in place");
            Path kept = setAside(file);
            out.println("moved into " + PostgresDatabase.withoutParameters(url) + "; the SQLite file is kept as "
                    + kept.getFileName() + "; start the nodes with --database-url");
            return 0;
        } catch (SQLException | IOException | RuntimeException e) {
            err.println("move-to-postgresql: nothing was moved: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Renames the moved file (and what SQLite keeps beside it), so that neither a node started
     * without {@code --database-url} nor a backup of the home takes it for the installation's data.
     */
    private static Path setAside(Path file) throws IOException {
        Path kept = file.resolveSibling(file.getFileName() + ".moved-to-postgresql");
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path beside = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(beside)) {
                Files.move(beside, kept.resolveSibling(kept.getFileName() + suffix));
            }
        }
        return Files.move(file, kept);
    }

    private static SQLiteDataSource sqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    private static org.postgresql.ds.PGSimpleDataSource postgres(Path home, String url, String user) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(user);
        dataSource.setPassword(PostgresDatabase.password(home.toAbsolutePath().normalize(),
                "secrets/database-password"));
        return dataSource;
    }
}
