package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.NotFoundException;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.privacy.IdentifierKind;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestDatabases;

class PseudonymsTest {

    private static final String ACCOUNT = "alice@example.org";

    @TempDir
    Path directory;

    private DataHome home;
    private Database database;
    private HmacPseudonyms pseudonyms;
    private String first;
    private String second;

    @BeforeEach
    void open() {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        pseudonyms = new HmacPseudonyms(database, home, Clock.systemUTC());
        HashedCriticalOperationPin pin = Fixtures.pin(home, database, Clock.systemUTC());
        PersistentEnvironments environments = new PersistentEnvironments(database, pseudonyms, pin,
                new PersistentLegalHolds(database, pin, Clock.systemUTC()), Fixtures.GRACE, Clock.systemUTC());
        first = environments.create(new NewEnvironment("first", null)).id();
        second = environments.create(new NewEnvironment("second", null)).id();
    }

    @Test
    void theSameAccountInTwoEnvironmentsGetsUnrelatedHandlesStableWithinEach() {
        String inFirst = pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT);
        String inSecond = pseudonyms.handle(second, IdentifierKind.ACCOUNT, ACCOUNT);
        assertNotEquals(inFirst, inSecond);
        assertEquals(inFirst, pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT));
        assertTrue(inFirst.matches("[A-Za-z0-9_-]{43}"), inFirst);
        assertFalse(inFirst.contains("alice"));
        // The kind is part of the input: equal text of two kinds does not collide.
        assertNotEquals(inFirst, pseudonyms.handle(first, IdentifierKind.DEVICE_KEY, ACCOUNT));
        // A restart (new component, same installation key) computes the same handles.
        assertEquals(inFirst, new HmacPseudonyms(database, home, Clock.systemUTC())
                .handle(first, IdentifierKind.ACCOUNT, ACCOUNT));
    }

    @Test
    void theHandleIsHmacSha256UnderTheUnwrappedKeyWhichIsStoredOnlyWrapped() throws Exception {
        byte[] wrapped = column(first, "wrapped_key");
        byte[] nonce = column(first, "nonce");
        assertEquals(InstallationKey.NONCE_BYTES, nonce.length);
        InstallationKey installationKey = InstallationKey.parse(home.readSecret(InstallationKey.SECRET_NAME).orElseThrow());
        byte[] key = installationKey.unwrap(first, new InstallationKey.Wrapped(nonce, wrapped));
        assertEquals(32, key.length);
        assertFalse(Arrays.equals(key, Arrays.copyOf(wrapped, key.length)), "the stored key is not the raw key");
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("enigm.db")).toList()) {
                assertFalse(contains(Files.readAllBytes(file), key), "the raw key is not in " + file.getFileName());
            }
        }

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(("ACCOUNT:" + ACCOUNT).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT));

        // The environment id is authenticated with the key: one environment's wrapped key does not open for another.
        assertThrows(IllegalStateException.class,
                () -> installationKey.unwrap(second, new InstallationKey.Wrapped(nonce, wrapped)));
    }

    @Test
    void destroyingTheKeyMakesHandlesUncomputableAndLeavesNoKeyRow() {
        String before = pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT);
        pseudonyms.destroyKey(first);
        assertThrows(NotFoundException.class, () -> pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT));
        long keyRows = database.read(h -> h.createQuery("SELECT COUNT(*) FROM environment_key WHERE environment_id = :id")
                .bind("id", first).mapTo(Long.class).one());
        assertEquals(0, keyRows);
        assertThrows(NotFoundException.class, () -> new HmacPseudonyms(database, home, Clock.systemUTC())
                .handle(first, IdentifierKind.ACCOUNT, ACCOUNT));
        assertNotEquals(before, pseudonyms.handle(second, IdentifierKind.ACCOUNT, ACCOUNT));
        assertThrows(NotFoundException.class, () -> pseudonyms.handle("never-existed", IdentifierKind.ACCOUNT, ACCOUNT));
    }

    @Test
    void afterTheFirstHandleTheKeyComesFromMemoryNotTheDatabase() {
        String before = pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT);
        // Removed behind the component's back: only a cached key can still compute the handle.
        database.inTransaction(h -> h.execute("DELETE FROM environment_key WHERE environment_id = ?", first));
        for (int i = 0; i < 1_000; i++) {
            assertEquals(before, pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT));
        }
        assertThrows(NotFoundException.class, () -> new HmacPseudonyms(database, home, Clock.systemUTC())
                .handle(first, IdentifierKind.ACCOUNT, ACCOUNT));
    }

    @Test
    void aKeyDestroyedInATransactionThatRollsBackSurvives() {
        String before = pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT);
        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            pseudonyms.destroyKey(first);
            throw new IllegalStateException("the caller fails after destroying");
        }));
        assertEquals(before, pseudonyms.handle(first, IdentifierKind.ACCOUNT, ACCOUNT));
    }

    @Test
    void theInstallationKeyFileIsReadableByItsOwnerOnlyAndItsLossIsRefusedLoudly() throws Exception {
        Path file = home.secrets().resolve(InstallationKey.SECRET_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(file).strip()).length);

        // Wrapped keys exist, so a missing installation key is a lost one: refuse instead of minting a new one.
        Files.delete(file);
        assertThrows(IllegalStateException.class, () -> new HmacPseudonyms(database, home, Clock.systemUTC()));
        assertFalse(Files.exists(file));
    }

    private byte[] column(String environmentId, String column) {
        return database.read(h -> h.createQuery("SELECT " + column + " FROM environment_key WHERE environment_id = :id")
                .bind("id", environmentId).mapTo(byte[].class).one());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
