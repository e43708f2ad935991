package io.enigm.server.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data home's {@code secrets/}: the owner token, the console password, the installation key that
 * wraps every environment key, the audit signing key pair, the webhook secret, and a copy of the
 * latest signed audit checkpoint.
 */
final class Secrets {

    static final String DIRECTORY = "secrets";

    /**
     * The copy of the latest audit checkpoint: it vouches for the audit chain up to its sequence, so
     * one taken from a later state than a restored database would show that chain as cut short.
     */
    static final String CHECKPOINT_COPY = "audit-checkpoint";

    private Secrets() {
    }

    /** Copies every secret file (not the half-written temporary files of a secret being replaced). */
    static int copy(Path from, Path to) throws IOException {
        return copy(from, to, false);
    }

    /** Copies the keys and tokens of another copy of the secrets, without its audit checkpoint copy. */
    static int copyKeys(Path from, Path to) throws IOException {
        return copy(from, to, true);
    }

    private static int copy(Path from, Path to, boolean withoutCheckpoint) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new ToolException("no secrets directory at " + from);
        }
        PrivateFiles.directory(to);
        int copied = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from, Files::isRegularFile)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || withoutCheckpoint && name.equals(CHECKPOINT_COPY)) {
                    continue;
                }
                if (PrivateFiles.copy(file, to.resolve(name))) {
                    copied++;
                }
            }
        }
        return copied;
    }
}
