package io.enigm.server.content;

import org.osgi.annotation.versioning.ProviderType;

/** A member's device following new content; closing it stops the events. */
@ProviderType
public interface ContentSubscription {

    void close();
}
