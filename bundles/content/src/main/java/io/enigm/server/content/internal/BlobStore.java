package io.enigm.server.content.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;

import io.enigm.server.store.Database;

/**
 * The bytes of objects too large for their row, under the data home's {@code content/} (directories
 * 0700, files 0600): {@code incoming/} holds uploads being received, {@code objects/<xx>/<id>} the
 * published ones. An upload is written to a temporary file and synced; publishing renames it to its
 * id and syncs the directory, and only then may its row commit: after a crash there is either no
 * row, or a row with all of its bytes. A file is unlinked once the transaction erasing its row is
 * durable. What a crash leaves behind — temporary files, a published file whose row never
 * committed, a file whose row's erasure committed — is removed at the next start.
 */
final class BlobStore implements Blobs {

    /** Where the wholly random characters of an id begin. */
    private static final int SHARD = 18;

    /** Filled before each write: a network read returns a few KiB, a file write should carry more. */
    private static final int BUFFER = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final Path incoming;
    private final Path objects;

    BlobStore(Database database, Path dataHome) {
        this.database = database;
        Path root = dataHome.resolve("content");
        this.incoming = root.resolve("incoming");
        this.objects = root.resolve("objects");
        try {
            for (Path directory : List.of(root, incoming, objects)) {
                ownerOnlyDirectory(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the content directory cannot be prepared", e);
        }
    }

    /** Staged in a synced temporary file, then renamed to the blob of {@code id}, durably. */
    @Override
    public Received receive(String id, InputStream in, int inlineLimit, long max) {
        Path file = incoming.resolve(HexFormat.of().formatHex(randomBytes()) + ".part");
        try (Staging staging = new Staging(file)) {
            Received received = UploadReader.read(in, inlineLimit, max, BUFFER, staging::open);
            if (received instanceof Received.Stored) {
                staging.sync();
                moveInto(file, id);
            }
            return received;
        } catch (IOException e) {
            throw new UncheckedIOException("an upload could not be stored", e);
        } finally {
            deleteQuietly(file); // gone once moved into place; otherwise nothing of it is kept
        }
    }

    /** A temporary file an upload is written to, created with its first bytes. */
    private static final class Staging implements UploadReader.Sink, AutoCloseable {

        private final Path file;
        private FileChannel channel;

        Staging(Path file) {
            this.file = file;
        }

        Staging open() throws IOException {
            channel = FileChannel.open(ownerOnlyFile(file), StandardOpenOption.WRITE);
            return this;
        }

        @Override
        public void write(byte[] bytes, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        void sync() throws IOException {
            channel.force(true);
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Nothing to do: a file under its id is the object's once its row commits. */
    @Override
    public void claim(Handle handle, String id) {
        // the file was published before the transaction began
    }

    /** The file outlives the row until the erasing transaction is durable: a crash in between leaves a leftover. */
    @Override
    public void erase(Handle handle, List<String> ids) {
        if (!ids.isEmpty()) {
            database.afterCommit(() -> ids.forEach(this::delete));
        }
    }

    @Override
    public void discard(String id) {
        delete(id);
    }

    /** Nothing while uploads go on: what a crash leaves is removed at the next start. */
    @Override
    public int removeAbandoned() {
        return 0;
    }

    @Override
    public InputStream open(String id, long offset, long size) throws IOException {
        FileChannel channel = FileChannel.open(path(id), StandardOpenOption.READ);
        try {
            channel.position(offset);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return Channels.newInputStream(channel);
    }

    /** Erases the blob of {@code id}, if there is one. */
    private void delete(String id) {
        try {
            Files.deleteIfExists(path(id));
        } catch (IOException e) {
            throw new UncheckedIOException("a blob could not be erased", e);
        }
    }

    /**
     * Removes what a crash left: every temporary file, and every published blob whose id
     * {@code known} does not name (asked once per directory with all of its ids). A known blob in
     * another directory than its id's is moved there.
     *
     * @return how many files were removed
     */
    @Override
    public int removeLeftovers(Function<List<String>, Set<String>> known) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
                removed++;
            }
        }
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(objects)) {
            for (Path shard : shards) {
                List<String> ids = new ArrayList<>();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    files.forEach(file -> ids.add(file.getFileName().toString()));
                }
                Set<String> kept = ids.isEmpty() ? Set.of() : known.apply(ids);
                for (String id : ids) {
                    if (!kept.contains(id)) {
                        Files.deleteIfExists(shard.resolve(id));
                        removed++;
                    } else if (!shard.equals(path(id).getParent())) {
                        // stored before ids began with their time, under the id's first two characters
                        moveInto(shard.resolve(id), id);
                    }
                }
            }
        }
        return removed;
    }

    /** Renames {@code file} to the blob of {@code id}, durably: its directory made and synced as needed. */
    private void moveInto(Path file, String id) throws IOException {
        Path target = path(id);
        Path shard = target.getParent();
        if (!Files.isDirectory(shard)) {
            ownerOnlyDirectory(shard);
            sync(objects);
        }
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        sync(shard);
    }

    /**
     * Ids begin with their creation time and go on with random bits: two characters of those (4,096
     * directories) spread the files, where the first two would put years of objects in one.
     */
    private Path path(String id) {
        return objects.resolve(id.substring(SHARD, SHARD + 2)).resolve(id);
    }

    static String etag(MessageDigest sha) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void ownerOnlyDirectory(Path directory) throws IOException {
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static Path ownerOnlyFile(Path file) throws IOException {
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    private static void sync(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is removed at the next start
        }
    }
}
