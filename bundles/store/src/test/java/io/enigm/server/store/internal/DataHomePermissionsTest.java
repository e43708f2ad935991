package io.enigm.server.store.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;

/** The data home and everything the store puts in it belong to the server's user alone. */
class DataHomePermissionsTest {

    @TempDir
    Path directory;

    /** Every path under {@code home} (itself included) with its permissions, e.g. {@code rw-------}. */
    static Map<Path, String> permissions(Path home) throws IOException {
        Map<Path, String> found = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                found.put(home.relativize(path), PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            }
        }
        return found;
    }

    private static void assertOwnerOnly(Map<Path, String> found, Path home) {
        found.forEach((path, mode) -> assertEquals(Files.isDirectory(home.resolve(path)) ? "rwx------" : "rw-------",
                mode, path.toString()));
    }

    @Test
    void theHomeTheDatabaseItsJournalsAndTheSecretsAreOwnerOnly() throws Exception {
        Path home = directory.resolve("home");
        SqliteDatabase database = new SqliteDatabase(TestDatabases.home(home), new SimpleMeterRegistry(), SqliteDatabaseTest.configuration());
        database.inTransaction(handle -> handle.execute("INSERT INTO environment (id, server_id, name, state,"
                + " created_at) VALUES ('e', 's', 'n', 'ACTIVE', 0)"));
        new FileDataHome(home).writeSecret("owner-token", "t".getBytes(StandardCharsets.UTF_8));

        Map<Path, String> found = permissions(home);
        assertTrue(found.keySet().containsAll(Set.of(Path.of("enigm.db"), Path.of("enigm.db-wal"),
                Path.of("enigm.db-shm"), Path.of("secrets", "owner-token"))), found.toString());
        assertOwnerOnly(found, home);
        database.close();
    }

    @Test
    void aDatabaseFileLeftOpenByAnOlderVersionIsTightened() throws Exception {
        Path home = directory.resolve("home");
        new SqliteDatabase(TestDatabases.home(home), new SimpleMeterRegistry(), SqliteDatabaseTest.configuration()).close();
        for (String name : new String[] {"enigm.db", "enigm.db-wal", "enigm.db-shm"}) {
            Path file = home.resolve(name);
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        SqliteDatabase reopened = new SqliteDatabase(TestDatabases.home(home), new SimpleMeterRegistry(), SqliteDatabaseTest.configuration());
        assertOwnerOnly(permissions(home), home);
        reopened.close();
    }

    @Test
    void aHomeOpenToOtherUsersIsRefusedWithWhatToDo() throws IOException {
        for (String mode : new String[] {"rwxr-xr-x", "rwxr-x---", "rwx-----x", "rwx---rw-"}) {
            Path home = Files.createDirectory(directory.resolve(mode.replace('-', '_')));
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString(mode));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new FileDataHome(home));
            assertTrue(refused.getMessage().contains("chmod -R go-rwx " + home), refused.getMessage());
            assertTrue(Files.notExists(home.resolve("secrets")), "nothing is created in a refused home");
        }
        Path ownerOnly = Files.createDirectory(directory.resolve("owner-only"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Database database = TestDatabases.open(new FileDataHome(ownerOnly));
        assertEquals(0L, (long) database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM environment")
                .mapTo(Long.class).one()));
    }
}
