package io.enigm.server.common;

/** The thing does not exist, or the caller may not know whether it exists. */
public class NotFoundException extends DomainException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String what) {
        super(what + " not found");
    }
}
