package io.enigm.server.common;

/**
 * A request that the domain refuses. Each subclass stands for one kind of refusal, which the HTTP
 * layer maps to one status code; the message is safe to show to the caller (it never carries
 * secrets, content or raw external identifiers).
 */
public abstract class DomainException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected DomainException(String message) {
        super(message, null, false, false);
    }
}
