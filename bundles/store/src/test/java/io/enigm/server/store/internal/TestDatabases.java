package io.enigm.server.store.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

import io.enigm.server.store.BatchDeletes;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/** Real SQLite databases for other bundles' unit tests, in a directory the test owns. */
public final class TestDatabases {

    private TestDatabases() {
    }

    public static DataHome home(Path directory) {
        return new FileDataHome(directory);
    }

    public static Database open(DataHome home) {
        return new SqliteDatabase(home, new SimpleMeterRegistry(), SqliteDatabaseTest.configuration());
    }

    public static BatchDeletes batchDeletes(Database database) {
        return new SqliteBatchDeletes(database);
    }
}
