package io.enigm.server.common;

/**
 * Something the request needs (an attestation provider) did not answer in time or failed; nothing
 * was changed, and the caller may try again.
 */
public class UnavailableException extends DomainException {

    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        super(message);
    }
}
