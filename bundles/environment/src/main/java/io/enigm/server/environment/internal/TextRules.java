package io.enigm.server.environment.internal;

import java.util.regex.Pattern;

import io.enigm.server.common.InvalidRequestException;

/** Rules for the short texts administrators choose: names and labels. */
final class TextRules {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]*");

    private TextRules() {
    }

    /** Trimmed text of 1 to {@code max} characters without control characters. */
    static String requireText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "is required");
        }
        String text = value.strip();
        if (text.codePointCount(0, text.length()) > max) {
            throw new InvalidRequestException(field, "must be at most " + max + " characters");
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field, "must not contain control characters");
        }
        return text;
    }

    /** A label: letters, digits, space, dot, underscore and dash, 1 to {@code max} characters. */
    static String requireLabel(String field, String value, int max) {
        String text = requireText(field, value, max);
        if (!LABEL.matcher(text).matches()) {
            throw new InvalidRequestException(field, "may hold letters, digits, space, '.', '_' and '-' only");
        }
        return text;
    }
}
