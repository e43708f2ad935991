package io.enigm.server.common;

/**
 * Where a page starts and how long it is.
 *
 * @param cursor the opaque cursor returned as {@link Page#next()}, or {@code null} for the first page
 * @param limit  between 1 and {@link Page#MAX_LIMIT}
 */
public record PageRequest(String cursor, int limit) {

    public PageRequest {
        if (limit < 1 || limit > Page.MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be between 1 and " + Page.MAX_LIMIT);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(null, limit);
    }
}
