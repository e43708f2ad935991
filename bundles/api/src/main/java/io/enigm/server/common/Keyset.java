package io.enigm.server.common;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where a page ends in a list ordered by (created, id): the cursor is this pair, opaque to callers,
 * so every page costs one index range scan however deep it is.
 *
 * @param createdAt creation time of the page's last item, epoch milliseconds
 * @param id        id of the page's last item
 */
public record Keyset(long createdAt, String id) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    public String encode() {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                ByteBuffer.allocate(8 + idBytes.length).putLong(createdAt).put(idBytes).array());
    }

    public static Keyset decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor));
            long createdAt = bytes.getLong();
            byte[] id = new byte[bytes.remaining()];
            bytes.get(id);
            Keyset position = new Keyset(createdAt, new String(id, StandardCharsets.US_ASCII));
            if (createdAt < 0 || !ID.matcher(position.id()).matches()) {
                throw new IllegalArgumentException("not a position");
            }
            return position;
        } catch (RuntimeException e) {
            throw new InvalidRequestException("cursor", "is not a cursor of this list");
        }
    }

    /** A page from {@code rows}, read with one more than {@code limit} to know whether more follow. */
    public static <T> Page<T> page(List<T> rows, int limit, Function<T, Keyset> position) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(items, position.apply(items.get(items.size() - 1)).encode());
    }
}
