package io.enigm.server.common;

import java.util.List;

/**
 * One page of a keyset-paged list.
 *
 * @param items the items of this page, in list order
 * @param next  the opaque cursor of the next page, or {@code null} on the last page
 */
public record Page<T>(List<T> items, String next) {

    /** Largest page a caller may ask for. */
    public static final int MAX_LIMIT = 500;
    /** Page size when the caller names none. */
    public static final int DEFAULT_LIMIT = 50;

    public Page {
        items = List.copyOf(items);
    }
}
