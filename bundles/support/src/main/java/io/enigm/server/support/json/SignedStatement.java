package io.enigm.server.support.json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The fields of a JSON statement an outside party signed (an OS posture statement, a compliance
 * report), read from the exact bytes the signature covers: one JSON object and nothing after it,
 * every expected field present with the expected kind of value, text no longer than a limit.
 * Unknown fields are skipped, so that the signer can add facts. Anything else is no statement.
 */
public final class SignedStatement {

    /** The kind of value an expected field holds. */
    public enum Kind {
        /** A string. */
        TEXT,
        /** {@code true} or {@code false}. */
        FLAG,
        /** An array of strings. */
        TEXTS
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Object> values;

    private SignedStatement(Map<String, Object> values) {
        this.values = values;
    }

    /**
     * The statement in {@code bytes}, or empty when they are not one well-formed JSON object holding
     * each of {@code fields} with its kind of value.
     *
     * @param maxText  the most characters of any string read
     * @param maxTexts the most strings in any array read
     */
    public static Optional<SignedStatement> read(byte[] bytes, Map<String, Kind> fields, int maxText, int maxTexts) {
        Map<String, Object> values = new HashMap<>();
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                Kind kind = fields.get(field);
                if (kind == null) {
                    parser.skipChildren();
                    continue;
                }
                Object read = switch (kind) {
                    case TEXT -> text(parser, value, maxText);
                    case FLAG -> flag(value);
                    case TEXTS -> texts(parser, value, maxText, maxTexts);
                };
                if (read == null) {
                    return Optional.empty();
                }
                values.put(field, read);
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return values.size() == fields.size() ? Optional.of(new SignedStatement(values)) : Optional.empty();
    }

    /** A {@link Kind#TEXT} field's value. */
    public String text(String field) {
        return (String) values.get(field);
    }

    /** A {@link Kind#FLAG} field's value. */
    public boolean flag(String field) {
        return (Boolean) values.get(field);
    }

    /** A {@link Kind#TEXTS} field's value, unmodifiable. */
    @SuppressWarnings("unchecked")
    public List<String> texts(String field) {
        return (List<String>) values.get(field);
    }

    private static String text(JsonParser parser, JsonToken value, int maxText) throws IOException {
        return value == JsonToken.VALUE_STRING && parser.getTextLength() <= maxText ? parser.getText() : null;
    }

    private static Boolean flag(JsonToken value) {
        return switch (value) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    private static List<String> texts(JsonParser parser, JsonToken value, int maxText, int maxTexts)
            throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
            String text = text(parser, next, maxText);
            if (text == null || texts.size() == maxTexts) {
                return null;
            }
            texts.add(text);
        }
        return List.copyOf(texts);
    }
}
