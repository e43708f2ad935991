package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;

/**
 * V15 on tokens left by earlier versions, which revoked a token alone: whatever a revoked token
 * minted, however indirectly, is revoked when the ancestor was; everything else stays as it was.
 */
class AdminTokenTreeMigrationTest {

    @TempDir
    Path home;

    @Test
    void revokesWhatRevokedTokensMintedAndNothingElse() {
        Database database = TestDatabases.open(TestDatabases.home(home));
        database.inTransaction(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at)"
                    + " VALUES ('e', 's', 'n', 'ACTIVE', 0)");
            insert(handle, "owner", null, null, null);
            insert(handle, "revoked", "owner", "e", 500L);
            insert(handle, "child", "revoked", "e", null);
            insert(handle, "grandchild", "child", "e", null);
            insert(handle, "revokedLaterChild", "revoked", "e", 900L);
            insert(handle, "sibling", "owner", "e", null);
            // the migration already ran on the empty table; run again over these rows
            SchemaMigrator.load().stream().filter(migration -> migration.version() == 15)
                    .flatMap(migration -> SchemaMigrator.statements(migration.sql()).stream())
                    .forEach(handle::execute);
            return null;
        });
        Map<String, Long> revokedAt = database.read(handle -> handle.createQuery(
                "SELECT id, COALESCE(revoked_at, -1) AS revoked FROM admin_token")
                .reduceRows(new HashMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("id", String.class), row.getColumn("revoked", Long.class));
                    return map;
                }));
        assertEquals(Map.of("owner", -1L, "revoked", 500L, "child", 500L, "grandchild", 500L,
                "revokedLaterChild", 900L, "sibling", -1L), revokedAt);
    }

    private static void insert(Handle handle, String id, String issuedBy, String environment,
            Long revokedAt) {
        handle.createUpdate("INSERT INTO admin_token (id, token_hash, role, environment_id, label, issued_by,"
                + " created_at, revoked_at) VALUES (:id, :id, :role, :environment, 'x', :issuedBy, 0, :revokedAt)")
                .bind("id", id)
                .bind("role", environment == null ? "OWNER" : "ADMINISTRATOR")
                .bind("environment", environment)
                .bind("issuedBy", issuedBy)
                .bind("revokedAt", revokedAt)
                .execute();
    }
}
