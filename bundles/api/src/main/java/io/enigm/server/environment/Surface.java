package io.enigm.server.environment;

import java.util.EnumSet;
import java.util.Set;

/**
 * A communication surface an environment may offer its members: each kind of end-to-end encrypted
 * content it hosts. A disabled surface refuses uploads.
 */
public enum Surface {
    /** Text messages between members. */
    MESSAGES,
    /** Files attached to messages. */
    ATTACHMENTS,
    /** Images, audio and video. */
    MEDIA,
    /** Call set-up: short-lived signalling messages between devices. */
    CALLS;

    /** What a new environment offers: every surface. */
    public static Set<Surface> all() {
        return EnumSet.allOf(Surface.class);
    }
}
