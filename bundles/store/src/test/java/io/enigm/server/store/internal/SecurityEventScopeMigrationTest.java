package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * V22 on a database left by the version before: admin tokens and security events rebuilt with every
 * row and reference, an installation-wide SECURITY_REVIEWER admitted, an installation's own event
 * admitted, and environments given a defensive response that is off.
 */
class SecurityEventScopeMigrationTest {

    private static final String TOKENS = "SELECT * FROM admin_token ORDER BY id";
    private static final String EVENTS = "SELECT * FROM security_event ORDER BY id";

    @TempDir
    Path home;

    private Jdbi jdbi;

    @BeforeEach
    void open() {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + home.resolve("enigm.db"));
        jdbi = Jdbi.create(dataSource);
    }

    @Test
    void keepsTokensAndEventsAndAdmitsInstallationWideReviewersAndEvents() {
        assertEquals(21, SchemaMigrator.migrate(jdbi, SchemaMigrator.load().subList(0, 21)));
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at) VALUES ('e', 's', 'n', 'ACTIVE', 0)");
            handle.execute("INSERT INTO admin_token (id, token_hash, role, environment_id, label, created_at)"
                    + " VALUES ('o', 'h1', 'OWNER', NULL, 'owner', 1)");
            handle.execute("INSERT INTO admin_token (id, token_hash, role, environment_id, label, created_at,"
                    + " issued_by, revoked_at) VALUES ('a', 'h2', 'ADMINISTRATOR', 'e', 'admin', 2, 'o', 3)");
            handle.execute("INSERT INTO security_event (id, environment_id, category, risk, subject_handle, created_at,"
                    + " occurrences) VALUES ('v', 'e', 'SESSION_SIGNATURE_FORGED', 'HIGH', 'k', 4, 2)");
        });
        List<Map<String, Object>> tokens = jdbi.withHandle(handle -> handle.createQuery(TOKENS).mapToMap().list());
        List<Map<String, Object>> events = jdbi.withHandle(handle -> handle.createQuery(EVENTS).mapToMap().list());

        assertEquals(22, SchemaMigrator.migrate(jdbi, SchemaMigrator.load().subList(0, 22)));

        jdbi.useHandle(handle -> {
            assertEquals(tokens, handle.createQuery(TOKENS).mapToMap().list());
            assertEquals(events, handle.createQuery(EVENTS).mapToMap().list());
            assertEquals(List.of(0, 600), handle.createQuery("SELECT auto_restrict_failures,"
                    + " auto_restrict_window_seconds FROM environment").map((rs, ctx) -> List.of(rs.getInt(1),
                    rs.getInt(2))).one(), "the defensive response starts off");
            handle.execute("INSERT INTO admin_token (id, token_hash, role, environment_id, label, created_at, issued_by)"
                    + " VALUES ('r', 'h3', 'SECURITY_REVIEWER', NULL, 'reviewer', 5, 'o')");
            handle.execute("INSERT INTO security_event (id, environment_id, category, risk, created_at)"
                    + " VALUES ('p', NULL, 'PIN_LOCKOUT', 'CRITICAL', 6)");
            assertThrows(UnableToExecuteStatementException.class, () -> handle.execute("INSERT INTO admin_token"
                    + " (id, token_hash, role, environment_id, label, created_at) VALUES ('d', 'h4', 'DEVICE_ADMIN',"
                    + " NULL, 'x', 7)"), "every other role keeps its environment");
            assertThrows(UnableToExecuteStatementException.class, () -> handle.execute("INSERT INTO admin_token"
                    + " (id, token_hash, role, environment_id, label, created_at) VALUES ('x', 'h5', 'OWNER', 'e',"
                    + " 'x', 8)"), "the owner holds the installation");
            assertThrows(UnableToExecuteStatementException.class, () -> handle.execute("INSERT INTO admin_token"
                    + " (id, token_hash, role, environment_id, label, created_at, issued_by) VALUES ('y', 'h6',"
                    + " 'SECURITY_REVIEWER', NULL, 'x', 9, 'nobody')"), "issuers are still references");
            assertTrue(handle.createQuery("PRAGMA foreign_key_check").mapToMap().list().isEmpty());
        });
    }
}
