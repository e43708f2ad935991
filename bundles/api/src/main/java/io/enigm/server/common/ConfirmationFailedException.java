package io.enigm.server.common;

/**
 * A critical operation without the right critical-operation PIN: a refusal of the confirmation, not of
 * who the caller is, so that an audit reviewer can tell PIN guessing from a role overreaching.
 */
public class ConfirmationFailedException extends ForbiddenException {

    private static final long serialVersionUID = 1L;

    public ConfirmationFailedException(String message) {
        super(message);
    }
}
