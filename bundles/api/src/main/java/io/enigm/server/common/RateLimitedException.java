package io.enigm.server.common;

import java.time.Duration;

/** Too many attempts or requests: the caller may try again after {@link #retryAfter()}. */
public class RateLimitedException extends DomainException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
