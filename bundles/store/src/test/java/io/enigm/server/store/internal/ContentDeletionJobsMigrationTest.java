package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content stored before deletion jobs existed is covered by none after the upgrade, so it stays visible. */
class ContentDeletionJobsMigrationTest {

    @TempDir
    Path home;

    @Test
    void storedObjectsAreCoveredByNoJobAndThereIsNoJob() {
        MigrationStep step = new MigrationStep(home, "content_deletion_jobs");
        Jdbi jdbi = step.jdbi();
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at) VALUES ('e', 's', 'n', 'ACTIVE', 1)");
            handle.execute("INSERT INTO content_object (id, environment_id, sender_member, sender_device, surface,"
                    + " size, etag, created_at, expires_at, for_everyone)"
                    + " VALUES ('o', 'e', 'm', 'd', 'MESSAGES', 3, 't', 1, 2, 1)");
        });

        step.run();

        assertEquals(1, (int) jdbi.withHandle(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM content_object WHERE deletion_id IS NULL").mapTo(Integer.class).one()));
        assertEquals(0, (int) jdbi.withHandle(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM content_deletion").mapTo(Integer.class).one()));
    }
}
