package io.enigm.server.common;

/**
 * Credentials that the domain checks itself (a device signature, a PIN) are missing or wrong.
 * The message never says which part was wrong beyond what the caller already knows.
 */
public class AuthenticationFailedException extends DomainException {

    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String message) {
        super(message);
    }
}
