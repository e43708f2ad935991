package io.enigm.server.common;

/** The request is valid but the thing's current state does not allow it. */
public class ConflictException extends DomainException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
