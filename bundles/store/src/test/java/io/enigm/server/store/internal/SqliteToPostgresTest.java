package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;

/** An installation's rows move from its SQLite file into an empty PostgreSQL database unchanged. */
class SqliteToPostgresTest {

    @TempDir
    Path home;
    @TempDir
    Path otherHome;

    private static final List<String> TABLES = List.of("environment", "admin_token", "member", "device",
            "content_object", "content_recipient", "audit_record", "critical_operation_pin", "environment_key");

    private void fill(Database sqlite) {
        sqlite.inTransaction(handle -> {
            handle.execute("INSERT INTO environment (id, server_id, name, state, created_at) VALUES"
                    + " ('e1', 's1', 'Acme', 'ACTIVE', 1700000000000)");
            handle.execute("INSERT INTO environment_key (environment_id, nonce, wrapped_key, created_at) VALUES"
                    + " ('e1', x'00ff10', x'deadbeef', 1)");
            // a token issued by one created after it: filled once every token is in
            handle.execute("INSERT INTO admin_token (id, token_hash, role, label, created_at) VALUES"
                    + " ('t1', 'h1', 'OWNER', 'owner', 1)");
            handle.execute("INSERT INTO admin_token (id, token_hash, role, label, created_at) VALUES"
                    + " ('t2', 'h2', 'OWNER', 'second', 2)");
            handle.execute("UPDATE admin_token SET issued_by = 't2' WHERE id = 't1'");
            handle.execute("INSERT INTO member (id, environment_id, account_handle, role, state, created_at,"
                    + " updated_at, display_name) VALUES ('m1', 'e1', 'alice', 'MEMBER', 'ACTIVE', 1, 1, 'Alice')");
            handle.execute("INSERT INTO device (id, environment_id, member_id, key_handle, public_key, fingerprint,"
                    + " trust, created_at, updated_at) VALUES ('d1', 'e1', 'm1', 'k1', x'0102', 'f1',"
                    + " 'REVOKED', 1, 1)");
            handle.execute("INSERT INTO device (id, environment_id, member_id, key_handle, public_key, fingerprint,"
                    + " trust, created_at, updated_at) VALUES ('d2', 'e1', 'm1', 'k2', x'0304', 'f2', 'TRUSTED', 2, 2)");
            handle.execute("UPDATE device SET replaced_by = 'd2' WHERE id = 'd1'");
            for (int i = 0; i < 2500; i++) {
                handle.execute("INSERT INTO content_object (id, environment_id, sender_member, sender_device,"
                        + " surface, size, etag, created_at, expires_at, for_everyone, inline_bytes) VALUES"
                        + " ('c" + i + "', 'e1', 'm1', 'd2', 'MESSAGES', 3, 'etag', 1, 2, 0, x'616263')");
            }
            handle.execute("INSERT INTO content_recipient (object_seq, member_id) VALUES (7, 'm1')");
            handle.execute("INSERT INTO audit_record (sequence, recorded_at, action, outcome, previous_hash, hash,"
                    + " salt) VALUES (1, 1, 'environment.create', 'ALLOWED', 'p', 'h', 's')");
            return null;
        });
    }

    private static List<String> rows(Database database, String table) {
        return database.read(handle -> handle.createQuery("SELECT * FROM " + table).mapToMap().list().stream()
                .map(row -> new java.util.TreeMap<>(row.entrySet().stream().collect(Collectors.toMap(
                        entry -> entry.getKey(), entry -> entry.getValue() instanceof byte[] bytes
                                ? java.util.HexFormat.of().formatHex(bytes) : String.valueOf(entry.getValue()))))
                        .toString())
                .sorted().toList());
    }

    @Test
    void everyRowMovesUnchangedAndIdentitiesContinueAfterThem() throws Exception {
        Database sqlite = TestDatabases.open(TestDatabases.home(home), "");
        fill(sqlite);
        java.util.Map<String, List<String>> before = new java.util.HashMap<>();
        TABLES.forEach(table -> before.put(table, rows(sqlite, table)));
        String url = TestPostgres.shared().newDatabase();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, move(home, url, out));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("content_object: 2500 rows"));
        assertTrue(Files.exists(home.resolve("enigm.db.moved-to-postgresql")) && !Files.exists(home.resolve(
                "enigm.db")), "set aside: neither a node without a URL nor a backup takes it for the data");

        Database postgres = TestDatabases.open(TestDatabases.home(otherHome), url);
        try {
            for (String table : TABLES) {
                assertEquals(before.get(table), rows(postgres, table), table);
            }
            long next = postgres.inTransaction(handle -> handle.createQuery("INSERT INTO content_object (id,"
                    + " environment_id, sender_member, sender_device, surface, size, etag, created_at, expires_at,"
                    + " for_everyone) VALUES ('new', 'e1', 'm1', 'd2', 'MESSAGES', 0, 'e', 1, 2, 0) RETURNING seq")
                    .mapTo(Long.class).one());
            assertEquals(2501, next);

            // a second move into the same, no longer empty, database is refused and changes nothing
            Files.move(home.resolve("enigm.db.moved-to-postgresql"), home.resolve("enigm.db"));
            assertEquals(1, MoveToPostgres.run(new String[] {"--home", home.toString(), "--database-url", url,
                    "--user", TestPostgres.USER}, System.out, new PrintStream(new ByteArrayOutputStream())));
            assertEquals(2501, rows(postgres, "content_object").size());
        } finally {
            ((AutoCloseable) postgres).close();
            ((AutoCloseable) sqlite).close();
        }
        assertThrows(IllegalArgumentException.class, () -> Dialect.of("jdbc:mysql://db/enigm"));
    }
    private String largeObject(Database sqlite, String id, long size) {
        sqlite.inTransaction(handle -> handle.execute("INSERT INTO content_object (id, environment_id, sender_member,"
                + " sender_device, surface, size, etag, created_at, expires_at, for_everyone) VALUES ('" + id
                + "', 'e1', 'm1', 'd2', 'MEDIA', " + size + ", 'etag', 1, 2, 0)"));
        return id;
    }

    private int move(Path from, String url, ByteArrayOutputStream out) throws Exception {
        Files.createDirectories(from.resolve("secrets"));
        Files.writeString(from.resolve("secrets").resolve("database-password"), TestPostgres.shared().password());
        return MoveToPostgres.run(new String[] {"--home", from.toString(), "--database-url", url, "--user",
                TestPostgres.USER}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    }

    @Test
    void largeObjectsFilesMoveIntoChunksOfTheirObjectAndLeftoversStay() throws Exception {
        Database sqlite = TestDatabases.open(TestDatabases.home(home), "");
        fill(sqlite);
        byte[] media = new byte[ObjectFilesToChunks.CHUNK * 2 + 12345];
        new java.util.Random(7).nextBytes(media);
        String id = largeObject(sqlite, "0000000000000000000abcdef", media.length);
        Path shard = Files.createDirectories(home.resolve("content/objects/ab"));
        Files.write(shard.resolve(id), media);
        Files.write(shard.resolve("0000000000000000000ableftover"), new byte[] {1, 2, 3});
        String url = TestPostgres.shared().newDatabase();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, move(home, url, out), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("large objects: 1 (" + media.length + " bytes)"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("1 files no object claims"));

        Database postgres = TestDatabases.open(TestDatabases.home(otherHome), url);
        try {
            List<byte[]> chunks = postgres.read(handle -> handle.createQuery("SELECT bytes FROM content_chunk"
                    + " WHERE object_id = :id ORDER BY first_byte").bind("id", id).mapTo(byte[].class).list());
            assertEquals(3, chunks.size());
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (byte[] chunk : chunks) {
                joined.write(chunk);
            }
            assertTrue(java.util.Arrays.equals(media, joined.toByteArray()), "the object's bytes, unchanged");
            long uploads = postgres.read(handle -> handle.createQuery("SELECT COUNT(*) FROM content_upload")
                    .mapTo(Long.class).one());
            assertEquals(0, uploads, "claimed, as a stored object's chunks are");
        } finally {
            ((AutoCloseable) postgres).close();
            ((AutoCloseable) sqlite).close();
        }
    }

    @Test
    void aLargeObjectWhoseFileIsMissingOrShortMovesNothing() throws Exception {
        Database sqlite = TestDatabases.open(TestDatabases.home(home), "");
        fill(sqlite);
        String id = largeObject(sqlite, "0000000000000000000abcdef", 100_000);
        Path shard = Files.createDirectories(home.resolve("content/objects/ab"));
        String url = TestPostgres.shared().newDatabase();
        assertEquals(1, move(home, url, new ByteArrayOutputStream()), "missing");
        Files.write(shard.resolve(id), new byte[99_999]);
        assertEquals(1, move(home, url, new ByteArrayOutputStream()), "one byte short");

        Database postgres = TestDatabases.open(TestDatabases.home(otherHome), url);
        try {
            assertEquals(List.of(), rows(postgres, "content_object"), "the move's one transaction rolled back");
        } finally {
            ((AutoCloseable) postgres).close();
            ((AutoCloseable) sqlite).close();
        }
    }
}
