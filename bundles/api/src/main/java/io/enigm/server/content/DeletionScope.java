package io.enigm.server.content;

/** What a deletion job erases. */
public enum DeletionScope {
    /** Everything one member of the environment sent. */
    MEMBER,
    /** Everything the environment holds. */
    ALL
}
