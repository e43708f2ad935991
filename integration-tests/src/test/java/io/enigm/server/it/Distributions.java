package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Private copies of the assembled distribution, for end-to-end tests that change its {@code deploy/}, and
 * the distribution archive unpacked and its launcher run.
 */
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

    /**
     * The archive {@code mvn package} wrote, unpacked with {@code tar -xzf} into {@code directory}, as an
     * operator does; returns its one top directory.
     */
    static Path unpackArchive(Path directory) throws IOException, InterruptedException {
        Path archive = Path.of(System.getProperty("enigm.archive") + ".tar.gz");
        assertTrue("mvn package wrote " + archive, Files.isRegularFile(archive));
        Launched tar = run(List.of("tar", "-xzf", archive.toString(), "-C", directory.toString()));
        assertEquals(tar.output(), 0, tar.exit());
        try (Stream<Path> top = Files.list(directory)) {
            List<Path> entries = top.toList();
            assertEquals("one top directory: " + entries, 1, entries.size());
            return entries.get(0);
        }
    }

    /** What a command printed (stdout and stderr) and its exit code. */
    record Launched(int exit, String output) {
    }

    static Launched run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(command + " ends within two minutes", process.waitFor(2, TimeUnit.MINUTES));
        return new Launched(process.exitValue(), output);
    }

    /** The distribution's own {@code bin/enigm-server} with {@code args}, run to its end. */
    static Launched launcher(Path dist, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/enigm-server").toString()));
        Collections.addAll(command, args);
        return run(command);
    }
}
