package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.Environment;
import io.enigm.server.membership.Device;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.internal.Installation.DeviceKey;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.store.internal.TestDatabases;

/** Invariant 5: the same account in two environments is not linkable from the data or the API. */
class PrivacyTest {

    @TempDir
    Path directory;

    private static final String ACCOUNT = "alice.raw-account-handle@enigm.example";

    @Test
    void oneAccountInTwoEnvironmentsLeavesUnrelatedHandlesAndNoRawIdentifier() {
        try (Installation installation = new Installation(directory.resolve("home"))) {
            DeviceKey key = DeviceKey.generate();
            Environment first = installation.environment("First");
            Environment second = installation.environment("Second");
            JoinRequest inFirst = approve(installation, first, ACCOUNT, key);
            JoinRequest inSecond = approve(installation, second, ACCOUNT, key);

            Member one = installation.members.get(first.id(), inFirst.memberId());
            Member two = installation.members.get(second.id(), inSecond.memberId());
            assertNotEquals(one.accountHandle(), two.accountHandle());
            assertNotEquals(one.id(), two.id());
            Device phoneHere = installation.devices.get(first.id(), inFirst.deviceId());
            Device phoneThere = installation.devices.get(second.id(), inSecond.deviceId());
            assertNotEquals(phoneHere.handle(), phoneThere.handle());
            assertNotEquals(phoneHere.fingerprint(), phoneThere.fingerprint());
            for (Object view : List.of(one, two, phoneHere, phoneThere, inFirst, inSecond)) {
                assertTrue(!view.toString().contains(ACCOUNT) && !view.toString().contains(key.publicKey()), view.toString());
            }
            // The raw key only in the device table's public_key column, once per environment (signatures
            // need it), and the display name not on the decided requests.
            assertEquals(0L, (long) installation.database.read(handle -> handle.createQuery(
                    "SELECT COUNT(*) FROM join_request WHERE display_name IS NOT NULL").mapTo(Long.class).one()));
            assertEquals(2L, (long) installation.database.read(handle -> handle.createQuery(
                    "SELECT COUNT(*) FROM device WHERE public_key = :key")
                    .bind("key", key.pair().getPublic().getEncoded()).mapTo(Long.class).one()));
        }
    }

    @Test
    @DisabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql",
            disabledReason = "searches the SQLite file and its write-ahead log in the data home")
    void theDatabaseFilesHoldNoRawIdentifier() throws IOException, SQLException {
        try (Installation installation = new Installation(directory.resolve("home"))) {
            DeviceKey key = DeviceKey.generate();
            byte[] der = key.pair().getPublic().getEncoded();
            approve(installation, installation.environment("First"), ACCOUNT, key);
            approve(installation, installation.environment("Second"), ACCOUNT, key);

            // The live files (database and write-ahead log) never held the raw account handle or the key's text.
            for (Path file : databaseFiles(installation)) {
                byte[] bytes = Files.readAllBytes(file);
                assertEquals(0, occurrences(bytes, ACCOUNT.getBytes(StandardCharsets.UTF_8)), file.toString());
                assertEquals(0, occurrences(bytes, key.publicKey().getBytes(StandardCharsets.US_ASCII)), file.toString());
            }
            // What the database holds now: the raw key once per environment, and the display name only on
            // the member it named, once per environment (the member directory shows it where the visibility
            // rules allow).
            Path copy = directory.resolve("copy.db");
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:sqlite:" + installation.home.directory().resolve("enigm.db"))) {
                connection.createStatement().execute("VACUUM INTO '" + copy + "'");
            }
            byte[] live = Files.readAllBytes(copy);
            assertEquals(0, occurrences(live, ACCOUNT.getBytes(StandardCharsets.UTF_8)));
            assertEquals(2, occurrences(live, "Alice in the field".getBytes(StandardCharsets.UTF_8)));
            assertEquals(2, occurrences(live, der));
        }
    }

    @Test
    void aDeletedEnvironmentsMembershipIsUnavailableAtOnceAndErasedByTheJob() throws IOException {
        try (Installation installation = new Installation(directory.resolve("erased"))) {
            Environment gone = installation.environment("Gone");
            Environment kept = installation.environment("Kept");
            DeviceKey key = DeviceKey.generate();
            JoinRequest member = approve(installation, gone, "alice@enigm", key);
            approve(installation, kept, "alice@enigm", key);
            installation.invites.create(gone.id(), null, Installation.ADMIN);
            installation.openSession(gone.id(), member.memberId(), member.deviceId());
            installation.database.inTransaction(handle -> {
                installation.securityEvents.record(gone.id(), SecurityEventCategory.SESSION_SIGNATURE_FORGED, null);
                return null;
            });
            installation.delete(gone);
            assertThrows(NotFoundException.class, () -> installation.members.get(gone.id(), member.memberId()));
            assertThrows(NotFoundException.class, () -> installation.devices.list(gone.id(), null, PageRequest.first(5)));

            // The environment bundle's eraser runs this for deleted environments without a legal hold.
            MembershipData membership = new MembershipData(installation.database);
            assertTrue(membership.holds(gone.id()));
            membership.erase(gone.id());
            assertFalse(membership.holds(gone.id()), "nothing left to erase");
            for (String table : List.of("member", "device", "join_request", "invite", "session", "security_event")) {
                long left = installation.database.read(handle -> handle.createQuery(
                        "SELECT COUNT(*) FROM " + table + " WHERE environment_id = :env").bind("env", gone.id())
                        .mapTo(Long.class).one());
                assertEquals(0L, left, table);
            }
            assertEquals(1, installation.members.list(kept.id(), null, null, PageRequest.first(5)).items().size());
        }
    }

    private static JoinRequest approve(Installation installation, Environment environment, String account,
            DeviceKey key) {
        String id = installation.joinRequests.submit(new JoinSubmission(environment.serverId(), account,
                key.publicKey(), "Alice in the field", null)).join().id();
        assertEquals("Alice in the field", installation.joinRequests.list(environment.id(),
                io.enigm.server.membership.JoinRequestState.PENDING, PageRequest.first(5)).items().get(0).displayName());
        return installation.approve(environment.id(), id);
    }

    private static List<Path> databaseFiles(Installation installation) throws IOException {
        try (Stream<Path> files = Files.walk(installation.home.directory())) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().contains(".db")).toList();
        }
    }

    static long occurrences(byte[] haystack, byte[] needle) {
        long count = 0;
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }
}
