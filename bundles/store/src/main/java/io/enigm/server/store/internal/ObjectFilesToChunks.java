package io.enigm.server.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Part of a move to PostgreSQL: the bytes of content objects too large for their row, which one
 * process keeps as files in the data home ({@code content/objects/<shard>/<object id>}), become
 * the {@code content_chunk} rows of about 1 MiB in which nodes sharing a database keep them. Every
 * object row without inline bytes must find its file, of its size; a file no row claims is what a
 * crash left and is not moved.
 */
final class ObjectFilesToChunks {

    /** The chunk size nodes write (the content bundle's), so moved objects read as any other. */
    static final int CHUNK = 1 << 20;

    /** What was moved: objects, their bytes, and files left behind because no row claims them. */
    record Moved(long objects, long bytes, long unclaimedFiles) {
    }

    private ObjectFilesToChunks() {
    }

    /** Inside the move's transaction on {@code to}, after the rows. */
    static Moved move(Path objects, Connection to) throws SQLException, IOException {
        Map<String, Long> sizes = objectsKeptInFiles(to);
        Map<String, Path> files = files(objects);
        long bytes = 0;
        try (PreparedStatement insert = to.prepareStatement(
                "INSERT INTO content_chunk (object_id, first_byte, bytes) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, Long> object : sizes.entrySet()) {
                Path file = files.get(object.getKey());
                if (file == null || Files.size(file) != object.getValue()) {
                    throw new IllegalStateException("the bytes of a content object stored with " + object.getValue()
                            + " bytes are missing or of another size in " + objects);
                }
                bytes += copy(file, object.getKey(), insert);
            }
        }
        files.keySet().removeAll(sizes.keySet());
        return new Moved(sizes.size(), bytes, files.size());
    }

    private static Map<String, Long> objectsKeptInFiles(Connection to) throws SQLException {
        Map<String, Long> sizes = new HashMap<>();
        try (Statement statement = to.createStatement();
                ResultSet object = statement.executeQuery(
                        "SELECT id, size FROM content_object WHERE inline_bytes IS NULL")) {
            while (object.next()) {
                sizes.put(object.getString(1), object.getLong(2));
            }
        }
        return sizes;
    }

    /** The object files by name (the object's id); none when the installation never kept one. */
    private static Map<String, Path> files(Path objects) throws IOException {
        Map<String, Path> files = new HashMap<>();
        if (!Files.isDirectory(objects)) {
            return files;
        }
        try (Stream<Path> found = Files.walk(objects, 2)) {
            found.filter(Files::isRegularFile).forEach(file -> files.put(file.getFileName().toString(), file));
        }
        return files;
    }

    private static long copy(Path file, String id, PreparedStatement insert) throws IOException, SQLException {
        long first = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk;
            while ((chunk = in.readNBytes(CHUNK)).length > 0) {
                insert.setString(1, id);
                insert.setLong(2, first);
                insert.setBytes(3, chunk);
                insert.executeUpdate();
                first += chunk.length;
            }
        }
        return first;
    }
}
