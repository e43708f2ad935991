package io.enigm.server.console.internal;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Web Console password file {@code <home>/secrets/console-password}: created with a random
 * password on first start, read on every later start.
 * <p>
 * The file is written to a temporary file that is private from its creation (0600) and then
 * hard-linked to its final name, so no reader ever sees a half-written or world-readable
 * password, and two processes racing on a fresh home agree on one password (the link fails
 * for the loser, which then reads the winner's file).
 */
final class ConsolePasswordFile {

    private static final Logger LOG = LoggerFactory.getLogger(ConsolePasswordFile.class);

    static final String SECRETS_DIR = "secrets";
    static final String FILE_NAME = "console-password";

    /** 18 random bytes: 144 bits, 24 characters of base64url. */
    private static final int PASSWORD_BYTES = 18;

    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private ConsolePasswordFile() {
    }

    static Path location(Path home) {
        return home.resolve(SECRETS_DIR).resolve(FILE_NAME);
    }

    /**
     * Returns the console password, creating the file first if it does not exist.
     *
     * @return the password; callers hash it and overwrite the array
     */
    static char[] readOrCreate(Path home, SecureRandom random) throws IOException {
        Path file = location(home);
        Path dir = file.getParent();
        createPrivateDirectory(dir);
        if (!Files.exists(file)) {
            create(file, random);
        }
        return read(file);
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (posix(dir.getParent())) {
            try {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                // the umask may have removed bits, never added any; set exactly
                Files.setPosixFilePermissions(dir, DIR_MODE);
            } catch (FileAlreadyExistsException exists) {
                if (!Files.isDirectory(dir)) {
                    throw new IOException(dir + " exists and is not a directory");
                }
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
                if (!DIR_MODE.containsAll(mode)) {
                    Files.setPosixFilePermissions(dir, DIR_MODE);
                }
            }
        } else {
            Files.createDirectories(dir);
        }
    }

    private static void create(Path file, SecureRandom random) throws IOException {
        byte[] raw = new byte[PASSWORD_BYTES];
        random.nextBytes(raw);
        byte[] text = Base64.getUrlEncoder().withoutPadding().encode(raw);
        java.util.Arrays.fill(raw, (byte) 0);

        Path dir = file.getParent();
        Path tmp = posix(dir)
                ? Files.createTempFile(dir, "." + FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE))
                : Files.createTempFile(dir, "." + FILE_NAME, ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(text.length + 1).put(text).put((byte) '\n').flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            } finally {
                java.util.Arrays.fill(text, (byte) 0);
            }
            try {
                Files.createLink(file, tmp); // atomic, and never replaces an existing file
            } catch (FileAlreadyExistsException lostRace) {
                // another process created it first: use theirs
            } catch (UnsupportedOperationException noLinks) {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static char[] read(Path file) throws IOException {
        if (posix(file)) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (!FILE_MODE.containsAll(mode)) {
                // someone loosened it: close it again, and tell the operator the secret may have leaked
                Files.setPosixFilePermissions(file, EnumSet.copyOf(FILE_MODE));
                LOG.warn("{} had mode {}; set it back to rw-------. If others could read it, delete it and restart"
                        + " to generate a new Web Console password.", file, PosixFilePermissions.toString(mode));
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            if (end == 0) {
                throw new IOException(file + " is empty. Delete it to generate a new password, then restart.");
            }
            ByteBuffer slice = ByteBuffer.wrap(bytes, 0, end);
            java.nio.CharBuffer chars = StandardCharsets.UTF_8.decode(slice);
            char[] out = new char[chars.remaining()];
            chars.get(out);
            java.util.Arrays.fill(chars.array(), '\0');
            return out;
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean posix(Path p) throws IOException {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null
                && Files.getFileStore(existing).supportsFileAttributeView("posix");
    }
}
