package io.enigm.server.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Private copies of the assembled distribution, for end-to-end tests that change its {@code deploy/}. */
final class Distributions {

    private Distributions() {
    }

    /** A private copy of the assembled distribution, in a new temporary directory. */
    static Path privateCopy() throws IOException {
        Path copy = Files.createTempDirectory("enigm-dist-");
        copy(Path.of(System.getProperty("enigm.distribution")), copy);
        return copy;
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (file.getFileName().toString().endsWith(".jsa.tmp")) {
                    continue; // a running server's class-data dump, still being written
                }
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }
}
