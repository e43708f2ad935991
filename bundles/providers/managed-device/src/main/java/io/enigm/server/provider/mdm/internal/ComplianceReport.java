package io.enigm.server.provider.mdm.internal;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** A managed-device service's report, read from the exact bytes it signed. */
record ComplianceReport(String environmentId, String deviceId, ComplianceState state, Instant reportedAt) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_TEXT = 128;

    /** The report, or {@code null} when the bytes are not a complete, well-formed report. */
    static ComplianceReport parse(byte[] bytes) {
        String environmentId = null;
        String deviceId = null;
        ComplianceState state = null;
        Instant reportedAt = null;
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "environmentId" -> environmentId = text(parser, value);
                    case "deviceId" -> deviceId = text(parser, value);
                    case "state" -> state = ComplianceState.valueOf(text(parser, value));
                    case "reportedAt" -> reportedAt = Instant.parse(text(parser, value));
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (IOException | DateTimeException | IllegalArgumentException e) {
            return null;
        }
        if (environmentId == null || deviceId == null || state == null || reportedAt == null) {
            return null;
        }
        return new ComplianceReport(environmentId, deviceId, state, reportedAt);
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING || parser.getTextLength() > MAX_TEXT) {
            throw new IllegalArgumentException("not a short string");
        }
        return parser.getText();
    }
}
