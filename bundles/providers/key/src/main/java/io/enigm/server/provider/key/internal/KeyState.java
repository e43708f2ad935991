package io.enigm.server.provider.key.internal;

/** A linked Enigm Key's lifecycle: {@code LINKED → LOST | REVOKED}, and {@code REPLACED} by a new Key. */
enum KeyState {
    LINKED,
    LOST,
    REVOKED,
    REPLACED
}
