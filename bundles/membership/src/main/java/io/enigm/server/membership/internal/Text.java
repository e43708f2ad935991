package io.enigm.server.membership.internal;

import io.enigm.server.common.InvalidRequestException;

/** Rules for short texts in requests: bounded length, no control characters. */
final class Text {

    private Text() {
    }

    /** Trimmed text of 1 to {@code max} characters without control characters. */
    static String required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "is required");
        }
        return checked(field, value.strip(), max);
    }

    /** Like {@link #required}, or {@code null} when absent. */
    static String optional(String field, String value, int max) {
        return value == null ? null : required(field, value, max);
    }

    private static String checked(String field, String text, int max) {
        if (text.codePointCount(0, text.length()) > max) {
            throw new InvalidRequestException(field, "must be at most " + max + " characters");
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field, "must not contain control characters");
        }
        return text;
    }
}
