package io.enigm.server.privacy;

/** What an external identifier is; part of its handle, so equal text of two kinds never collides. */
public enum IdentifierKind {
    ACCOUNT,
    DEVICE_KEY,
    ICCID,
    KEY_SERIAL
}
