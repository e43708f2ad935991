package io.enigm.server.http.internal;

import java.util.Map;

/**
 * The one byte range a {@code Range} header asks of an object (RFC 9110 §14): {@code first} to
 * {@code last}, inclusive. Only single ranges of bytes are served; anything else is answered with
 * the whole object, as the RFC allows.
 */
record ByteRange(long first, long last) {

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * @return the range asked for, cut to the object's end, or {@code null} for the whole object
     * @throws ApiProblem 416 when the range starts past the end of the object
     */
    static ByteRange of(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            if (dash == 0) {
                long suffix = Long.parseLong(spec.substring(1));
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(size);
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(spec.substring(0, dash));
            long last = dash == spec.length() - 1 ? Long.MAX_VALUE : Long.parseLong(spec.substring(dash + 1));
            if (first < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                throw unsatisfiable(size);
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ApiProblem unsatisfiable(long size) {
        return new ApiProblem(416, "range-not-satisfiable", "Range not satisfiable",
                "the range starts past the end of the object", Map.of("Content-Range", "bytes */" + size));
    }
}
