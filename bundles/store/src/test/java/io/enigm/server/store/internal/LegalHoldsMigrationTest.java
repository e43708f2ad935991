package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The legal holds migration on a database left by the version before: every flagged environment keeps its hold. */
class LegalHoldsMigrationTest {

    @TempDir
    Path home;

    @Test
    void aFlaggedEnvironmentBecomesAHoldWithoutAnEndAndTheFlagGoes() {
        MigrationStep step = new MigrationStep(home, "legal_holds_and_idempotency");
        Jdbi jdbi = step.jdbi();
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at, legal_hold)"
                    + " VALUES ('held', 's1', 'n', 'CLOSED', 5, 1)");
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at, legal_hold)"
                    + " VALUES ('free', 's2', 'n', 'ACTIVE', 6, 0)");
        });

        step.run();

        jdbi.useHandle(handle -> {
            assertEquals(List.of("held placed at 5"), handle.createQuery("SELECT environment_id || ' placed at ' ||"
                    + " placed_at FROM legal_hold WHERE member_id IS NULL AND ends_at IS NULL").mapTo(String.class).list());
            assertFalse(handle.createQuery("SELECT name FROM pragma_table_info('environment')").mapTo(String.class)
                    .list().contains("legal_hold"));
        });
    }
}
