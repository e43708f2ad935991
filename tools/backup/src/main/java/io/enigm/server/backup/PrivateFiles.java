package io.enigm.server.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Files as the data home keeps them: directories 0700, files 0600, each copy synced, because a
 * backup holds the same database and keys as the home it came from.
 */
final class PrivateFiles {

    private PrivateFiles() {
    }

    static Path directory(Path directory) throws IOException {
        try {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        return directory;
    }

    /** Makes {@code directory} owner-only, refusing one that holds anything: nothing is mixed or overwritten. */
    static void emptyDirectory(Path directory, String what) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new ToolException(what + " " + directory + " is not empty");
                }
            }
        }
        directory(directory);
    }

    /**
     * Copies one file, owner-only and synced.
     *
     * @return false when {@code from} was gone (deleted meanwhile)
     */
    static boolean copy(Path from, Path to) throws IOException {
        directory(to.getParent());
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            if (Files.exists(from)) {
                throw e;
            }
            return false;
        }
        ownerOnly(to);
        return true;
    }

    /** Copies every regular file under {@code from} to the same place under {@code to}. */
    static int copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return 0;
        }
        int copied = 0;
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (copy(file, to.resolve(from.relativize(file).toString()))) {
                    copied++;
                }
            }
        }
        return copied;
    }

    /** 0600 and synced to disk. */
    static void ownerOnly(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
