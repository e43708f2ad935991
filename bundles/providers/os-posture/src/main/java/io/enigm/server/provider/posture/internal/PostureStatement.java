package io.enigm.server.provider.posture.internal;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * What Enigm OS states about a device, read from the signed JSON bytes. Unknown fields are skipped
 * so that newer OS releases can add facts; every field read here is required.
 */
record PostureStatement(String deviceId, String deviceKey, String nonce, String osVersion, LocalDate patchDate,
        boolean verifiedBoot, List<String> integrity, Instant issuedAt) {

    private static final JsonFactory JSON = new JsonFactory();
    /** Enough for a device key's Base64 (an Ed25519 SubjectPublicKeyInfo is 60 characters). */
    private static final int MAX_TEXT = 256;
    private static final int MAX_FLAGS = 64;

    /** The statement, or {@code null} when the bytes are not a complete, well-formed statement. */
    static PostureStatement parse(byte[] bytes) {
        String deviceId = null;
        String deviceKey = null;
        String nonce = null;
        String osVersion = null;
        LocalDate patchDate = null;
        Boolean verifiedBoot = null;
        List<String> integrity = null;
        Instant issuedAt = null;
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "deviceId" -> deviceId = text(parser, value);
                    case "deviceKey" -> deviceKey = text(parser, value);
                    case "nonce" -> nonce = text(parser, value);
                    case "osVersion" -> osVersion = text(parser, value);
                    case "patchDate" -> patchDate = LocalDate.parse(text(parser, value));
                    case "issuedAt" -> issuedAt = Instant.parse(text(parser, value));
                    case "verifiedBoot" -> verifiedBoot = value == JsonToken.VALUE_TRUE ? Boolean.TRUE
                            : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                    case "integrity" -> integrity = flags(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (IOException | DateTimeException | IllegalArgumentException e) {
            return null;
        }
        if (deviceId == null || deviceKey == null || nonce == null || osVersion == null || patchDate == null
                || verifiedBoot == null || integrity == null || issuedAt == null) {
            return null;
        }
        return new PostureStatement(deviceId, deviceKey, nonce, osVersion, patchDate, verifiedBoot,
                List.copyOf(integrity), issuedAt);
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING || parser.getTextLength() > MAX_TEXT) {
            throw new IllegalArgumentException("not a short string");
        }
        return parser.getText();
    }

    private static List<String> flags(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("not an array");
        }
        List<String> flags = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (flags.size() == MAX_FLAGS) {
                throw new IllegalArgumentException("too many flags");
            }
            flags.add(text(parser, next));
        }
        return flags;
    }
}
