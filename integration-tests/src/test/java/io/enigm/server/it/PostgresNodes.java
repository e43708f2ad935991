package io.enigm.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.enigm.server.store.internal.TestPostgres;

/**
 * Data homes of nodes that keep their data in the tests' PostgreSQL server: the role's password
 * where a node reads it, and the secrets the nodes of one installation share, copied as an
 * operator does.
 */
final class PostgresNodes {

    private PostgresNodes() {
    }

    /** A new database for the node of {@code home}; its password written into the home. Returns the URL. */
    static String newDatabase(Path home) {
        String url = TestPostgres.shared().newDatabase();
        writePassword(home);
        return url;
    }

    /** The launcher options of a node on {@code url}. */
    static List<String> options(String url) {
        return List.of("--database-url", url);
    }

    static void writePassword(Path home) {
        try {
            Path secrets = Files.createDirectories(home.resolve("secrets"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = secrets.resolve("database-password");
            Files.writeString(file, TestPostgres.shared().password(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives the node of {@code to} the secrets of the installation's first node, {@code from}. */
    static void shareSecrets(Path from, Path to) throws IOException {
        Path secrets = Files.createDirectories(to.resolve("secrets"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (var files = Files.list(from.resolve("secrets"))) {
            for (Path file : files.toList()) {
                Path copy = secrets.resolve(file.getFileName().toString());
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
