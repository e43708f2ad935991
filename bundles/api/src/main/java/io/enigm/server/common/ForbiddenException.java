package io.enigm.server.common;

/** The caller is known but may not do this (e.g. a critical operation without the right PIN). */
public class ForbiddenException extends DomainException {

    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }
}
