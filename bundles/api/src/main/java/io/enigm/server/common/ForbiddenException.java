package io.enigm.server.common;

/** The caller is known but may not do this; a missing or wrong PIN is {@link ConfirmationRefusedException}. */
public class ForbiddenException extends DomainException {

    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }
}
