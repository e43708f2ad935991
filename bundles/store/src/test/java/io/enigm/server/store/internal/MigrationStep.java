package io.enigm.server.store.internal;

import java.nio.file.Path;
import java.util.List;

import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A database in a fresh data home as the version before one migration left it (foreign keys
 * enforced, as the store runs them), and that migration run on it.
 */
final class MigrationStep {

    private final Jdbi jdbi;
    private final List<SchemaMigrator.Migration> all = SchemaMigrator.load();
    private final int step;

    /** Migrates up to, not including, the migration named {@code description}. */
    MigrationStep(Path home, String description) {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + home.resolve("enigm.db"));
        this.jdbi = Jdbi.create(dataSource);
        this.step = all.stream().map(SchemaMigrator.Migration::description).toList().indexOf(description);
        SchemaMigrator.migrate(jdbi, all.subList(0, step));
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** Runs the migration under test. */
    void run() {
        SchemaMigrator.migrate(jdbi, all.subList(0, step + 1));
    }
}
