package io.enigm.server.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.enigm.server.home.DataHome;
import io.enigm.server.store.BatchDeletes;
import io.enigm.server.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Real databases for other bundles' unit tests: a SQLite file in a directory the test owns, or,
 * when the system property {@value #ENGINE} is {@code postgresql} (the build's second test run), a
 * database of its own on the JVM's {@link TestPostgres} server.
 */
public final class TestDatabases {

    /** The system property choosing the engine of a test run. */
    public static final String ENGINE = "enigm.test.database";

    private TestDatabases() {
    }

    /** Whether this test run's databases are PostgreSQL ones. */
    public static boolean postgres() {
        return "postgresql".equals(System.getProperty(ENGINE));
    }

    public static DataHome home(Path directory) {
        return new FileDataHome(directory);
    }

    public static Database open(DataHome home) {
        return open(home, postgres() ? TestPostgres.shared().newDatabase() : "");
    }

    /** A database on {@code url} (a PostgreSQL one; empty for the home's SQLite file). */
    public static Database open(DataHome home, String url) {
        if (url.isEmpty()) {
            return new SqliteDatabase(home, new SimpleMeterRegistry(), configuration(""));
        }
        writePassword(home);
        return new PostgresDatabase(home, new SimpleMeterRegistry(), configuration(url), url);
    }

    private static void writePassword(DataHome home) {
        Path file = home.directory().resolve(configuration("").passwordFile());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, TestPostgres.shared().password(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BatchDeletes batchDeletes(Database database) {
        return new StoreBatchDeletes(database, database instanceof PostgresDatabase ? Dialect.POSTGRESQL
                : Dialect.SQLITE);
    }

    /** The store's settings as a test uses them: small pools, durable commits. */
    public static StoreConfiguration configuration(String url) {
        return new StoreConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StoreConfiguration.class;
            }

            @Override
            public String url() {
                return url;
            }

            @Override
            public String user() {
                return TestPostgres.USER;
            }

            @Override
            public String passwordFile() {
                return "secrets/database-password";
            }

            @Override
            public String databaseFile() {
                return "enigm.db";
            }

            @Override
            public int busyTimeoutMillis() {
                return 5000;
            }

            @Override
            public boolean durableCommits() {
                return true;
            }

            @Override
            public int readConnections() {
                return 4;
            }

            @Override
            public int maxBatch() {
                return 64;
            }
        };
    }
}
