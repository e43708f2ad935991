package io.enigm.server.content;

import java.io.IOException;
import java.io.InputStream;

import org.osgi.annotation.versioning.ProviderType;

/** An object a member may read: its metadata, and its bytes opened on demand. */
@ProviderType
public interface ContentRead {

    ContentObject object();

    /**
     * Opens the ciphertext, unchanged, from byte {@code offset} (0 to {@link ContentObject#size()}) to
     * its end. The caller closes the stream.
     */
    InputStream open(long offset) throws IOException;
}
