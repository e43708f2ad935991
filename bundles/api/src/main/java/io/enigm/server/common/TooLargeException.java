package io.enigm.server.common;

/** A request's body is larger than the server accepts; nothing of it was kept. */
public class TooLargeException extends DomainException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    public TooLargeException(String what, long limit) {
        super(what + " must not exceed " + limit + " bytes");
        this.limit = limit;
    }

    /** The largest size accepted, in bytes. */
    public long limit() {
        return limit;
    }
}
