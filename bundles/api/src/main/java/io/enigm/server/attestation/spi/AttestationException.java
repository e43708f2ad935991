package io.enigm.server.attestation.spi;

/**
 * A lifecycle operation the provider refuses. The message is shown to the administrator who asked,
 * so it must not carry raw identifiers or secrets.
 */
public class AttestationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the operation was refused. */
    public enum Reason {
        /** The request is malformed or names an unknown operation. */
        INVALID_REQUEST,
        /** The operation is not allowed in the current lifecycle state. */
        CONFLICT
    }

    private final Reason reason;

    public AttestationException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
