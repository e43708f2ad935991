package io.enigm.server.home;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The installation's data home: the database and the secrets directory, which only the server's
 * user may read.
 */
@ProviderType
public interface DataHome {

    /** The data home directory. */
    Path directory();

    /** The secrets directory (mode 0700). */
    Path secrets();

    /** The secret stored under {@code name}, if it has been written. */
    Optional<byte[]> readSecret(String name);

    /**
     * Writes or replaces a secret file readable only by its owner (mode 0600), atomically: the file
     * holds either the whole old secret or the whole new one.
     *
     * @return the path of the file, which may be shown to the operator (never its content)
     */
    Path writeSecret(String name, byte[] secret);
}
