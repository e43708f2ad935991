package io.enigm.server.backup;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

/** {@code backup.properties}, written last into a finished backup: what it holds. */
record Manifest(int schemaVersion, int blobs, boolean withSecrets) {

    static final String FILE = "backup.properties";
    private static final String FORMAT = "1";

    void write(Path backup) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("format", FORMAT);
        properties.setProperty("created", Instant.now().toString());
        properties.setProperty("schemaVersion", Integer.toString(schemaVersion));
        properties.setProperty("blobs", Integer.toString(blobs));
        properties.setProperty("secrets", Boolean.toString(withSecrets));
        Path file = backup.resolve(FILE);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "Enigm Server backup (enigm-server restore DIR --home NEWHOME)");
        }
        PrivateFiles.ownerOnly(file);
    }

    static Manifest read(Path backup) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(backup.resolve(FILE), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new ToolException(backup + " holds no finished backup (no " + FILE + ")");
        }
        if (!FORMAT.equals(properties.getProperty("format"))) {
            throw new ToolException(backup + " is a backup in a format this version does not know");
        }
        try {
            return new Manifest(Integer.parseInt(properties.getProperty("schemaVersion")),
                    Integer.parseInt(properties.getProperty("blobs")),
                    Boolean.parseBoolean(properties.getProperty("secrets")));
        } catch (NumberFormatException e) {
            throw new ToolException(backup.resolve(FILE) + " is damaged");
        }
    }
}
