package io.enigm.server.console.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ConsolePasswordFileTest {

    @TempDir
    Path home;

    @Test
    void firstStartCreatesPrivateFileWithStrongPassword() throws IOException {
        char[] password = ConsolePasswordFile.readOrCreate(home, new SecureRandom());

        Path dir = home.resolve("secrets");
        Path file = dir.resolve("console-password");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(24, password.length, "144 random bits as base64url");
        assertFalse(new String(password).equals("admin"));
        assertEquals(new String(password) + "\n", Files.readString(file));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file is left behind");
        }
    }

    @Test
    void laterStartsReuseTheFile() throws IOException {
        char[] first = ConsolePasswordFile.readOrCreate(home, new SecureRandom());
        char[] second = ConsolePasswordFile.readOrCreate(home, new SecureRandom());
        assertArrayEquals(first, second);
    }

    @Test
    void twoHomesGetDifferentPasswords(@TempDir Path other) throws IOException {
        assertFalse(new String(ConsolePasswordFile.readOrCreate(home, new SecureRandom()))
                .equals(new String(ConsolePasswordFile.readOrCreate(other, new SecureRandom()))));
    }

    @Test
    void loosenedModesAreTightenedAgain() throws IOException {
        ConsolePasswordFile.readOrCreate(home, new SecureRandom());
        Path dir = home.resolve("secrets");
        Path file = dir.resolve("console-password");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        ConsolePasswordFile.readOrCreate(home, new SecureRandom());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
}
