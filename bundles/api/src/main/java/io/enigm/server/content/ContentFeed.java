package io.enigm.server.content;

import java.util.List;

/**
 * What is new for a member since a cursor, oldest first.
 *
 * @param items  the objects the member may see, at most the limit asked for
 * @param cursor where to ask from next time: after the last item, or the cursor asked with when
 *               nothing is new
 */
public record ContentFeed(List<ContentObject> items, String cursor) {

    public ContentFeed {
        items = List.copyOf(items);
    }
}
