package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * V16 on a database left by the version before: members and devices rebuilt clustered by id, with
 * every row, index and reference as it was; and the migrator's own check of references.
 */
class MembershipWithoutRowidMigrationTest {

    private static final String MEMBERS = "SELECT * FROM member ORDER BY id";
    private static final String DEVICES = "SELECT id, environment_id, member_id, key_handle, hex(public_key) AS public_key,"
            + " fingerprint, trust, replaced_by, created_at, updated_at FROM device ORDER BY id";

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
    void keepsEveryRowIndexAndReferenceOfMembersAndDevices() {
        assertEquals(15, SchemaMigrator.migrate(jdbi, SchemaMigrator.load().subList(0, 15)));
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at) VALUES ('e', 's', 'n', 'ACTIVE', 0)");
            handle.execute("INSERT INTO member VALUES ('m1', 'e', 'alice', 'ADMIN', 'ACTIVE', 1, 2)");
            handle.execute("INSERT INTO member VALUES ('m2', 'e', 'bob', 'MEMBER', 'REMOVED', 3, 4)");
            handle.execute("INSERT INTO device VALUES ('d1', 'e', 'm1', 'k1', x'0102', 'f1', 'TRUSTED', NULL, 5, 6)");
            handle.execute("INSERT INTO device VALUES ('d2', 'e', 'm1', 'k2', x'0304', 'f2', 'REVOKED', 'd1', 7, 8)");
            handle.execute("INSERT INTO session (id, environment_id, member_id, device_id, token_hash, created_at, expires_at)"
                    + " VALUES ('s1', 'e', 'm1', 'd1', 't1', 9, 10)");
        });
        List<Map<String, Object>> members = jdbi.withHandle(handle -> handle.createQuery(MEMBERS).mapToMap().list());
        List<Map<String, Object>> devices = jdbi.withHandle(handle -> handle.createQuery(DEVICES).mapToMap().list());

        assertEquals(16, SchemaMigrator.migrate(jdbi, SchemaMigrator.load().subList(0, 16)));

        jdbi.useHandle(handle -> {
            assertEquals(members, handle.createQuery(MEMBERS).mapToMap().list());
            assertEquals(devices, handle.createQuery(DEVICES).mapToMap().list());
            for (String table : List.of("member", "device")) {
                assertThrows(StatementException.class,
                        () -> handle.createQuery("SELECT rowid FROM " + table).mapToMap().list(),
                        table + " is clustered by id");
            }
            assertEquals(List.of("member_by_account", "member_by_environment", "member_by_role", "member_by_state"),
                    indexes(handle, "member"));
            assertEquals(List.of("device_by_environment", "device_by_key", "device_by_member"),
                    indexes(handle, "device"));
            assertTrue(handle.createQuery("PRAGMA foreign_key_check").mapToMap().list().isEmpty());
            // still enforced, both ways: a reference to nothing, and removing what is referred to
            assertThrows(UnableToExecuteStatementException.class, () -> handle.execute(
                    "INSERT INTO device VALUES ('d3', 'e', 'nobody', 'k3', x'05', 'f3', 'TRUSTED', NULL, 0, 0)"));
            assertThrows(UnableToExecuteStatementException.class, () -> handle.execute(
                    "DELETE FROM member WHERE id = 'm1'"));
            // one live membership per account, as before
            assertThrows(UnableToExecuteStatementException.class, () -> handle.execute(
                    "INSERT INTO member VALUES ('m3', 'e', 'alice', 'MEMBER', 'ACTIVE', 0, 0)"));
            handle.execute("INSERT INTO member VALUES ('m4', 'e', 'bob', 'MEMBER', 'ACTIVE', 0, 0)");
        });
    }

    @Test
    void aMigrationThatBreaksAReferenceIsNotApplied() {
        List<SchemaMigrator.Migration> migrations = new ArrayList<>(SchemaMigrator.load());
        int last = migrations.size();
        migrations.add(new SchemaMigrator.Migration(last + 1, "broken",
                "INSERT INTO environment (id, server_id, name, state, created_at) VALUES ('e', 's', 'n', 'ACTIVE', 0);\n"
                + "INSERT INTO member (id, environment_id, account_handle, role, state, created_at, updated_at)"
                + " VALUES ('m', 'nowhere', 'alice', 'MEMBER', 'ACTIVE', 0, 0);\n", "checksum"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> SchemaMigrator.migrate(jdbi, migrations));

        assertTrue(refused.getMessage().contains("[member]"), refused.getMessage());
        jdbi.useHandle(handle -> {
            assertEquals(last, handle.createQuery("SELECT MAX(version) FROM schema_version").mapTo(Integer.class).one());
            assertEquals(0, handle.createQuery("SELECT COUNT(*) FROM environment").mapTo(Integer.class).one());
        });
    }

    private static List<String> indexes(Handle handle, String table) {
        return handle.createQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :table"
                + " AND sql IS NOT NULL ORDER BY name").bind("table", table).mapTo(String.class).list();
    }
}
