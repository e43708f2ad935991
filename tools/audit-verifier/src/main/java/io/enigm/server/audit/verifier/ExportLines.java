package io.enigm.server.audit.verifier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.enigm.server.support.audit.AuditChain;

/**
 * Reads one export line's object with Jackson's streaming parser, field by field, as strictly as
 * binding it would: a field no line type has, or a value of the wrong kind, is refused.
 */
final class ExportLines {

    private ExportLines() {
    }

    /** Reads the object the parser stands at the start of, up to its end. */
    static ExportLine read(JsonParser json) throws IOException {
        String type = null;
        Integer format = null;
        Long firstSequence = null;
        String checkpointKey = null;
        Long sequence = null;
        Long createdAt = null;
        String signature = null;
        Long recordedAt = null;
        String actor = null;
        String role = null;
        String environmentId = null;
        String action = null;
        String target = null;
        String outcome = null;
        String category = null;
        List<AuditChain.Change> changes = null;
        String salt = null;
        String entryDigest = null;
        String previousHash = null;
        String hash = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            json.nextToken();
            switch (field) {
                case "type" -> type = text(json, field);
                case "format" -> format = whole(json, field);
                case "firstSequence" -> firstSequence = number(json, field);
                case "checkpointKey" -> checkpointKey = text(json, field);
                case "sequence" -> sequence = number(json, field);
                case "createdAt" -> createdAt = number(json, field);
                case "signature" -> signature = text(json, field);
                case "recordedAt" -> recordedAt = number(json, field);
                case "actor" -> actor = text(json, field);
                case "role" -> role = text(json, field);
                case "environmentId" -> environmentId = text(json, field);
                case "action" -> action = text(json, field);
                case "target" -> target = text(json, field);
                case "outcome" -> outcome = text(json, field);
                case "category" -> category = text(json, field);
                case "changes" -> changes = changes(json);
                case "salt" -> salt = text(json, field);
                case "entryDigest" -> entryDigest = text(json, field);
                case "previousHash" -> previousHash = text(json, field);
                case "hash" -> hash = text(json, field);
                default -> throw new IllegalArgumentException("no export line has a field " + field);
            }
        }
        if (json.currentToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("a line is one JSON object");
        }
        return new ExportLine(type, format, firstSequence, checkpointKey, sequence, createdAt, signature, recordedAt,
                actor, role, environmentId, action, target, outcome, category, changes, salt, entryDigest,
                previousHash, hash);
    }

    private static String text(JsonParser json, String field) throws IOException {
        return switch (json.currentToken()) {
            case VALUE_STRING -> json.getText();
            case VALUE_NULL -> null;
            default -> throw new IllegalArgumentException(field + " is not a string");
        };
    }

    private static Long number(JsonParser json, String field) throws IOException {
        return switch (json.currentToken()) {
            case VALUE_NUMBER_INT -> json.getLongValue();
            case VALUE_NULL -> null;
            default -> throw new IllegalArgumentException(field + " is not a whole number");
        };
    }

    private static Integer whole(JsonParser json, String field) throws IOException {
        Long value = number(json, field);
        if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(field + " is out of range");
        }
        return value == null ? null : value.intValue();
    }

    private static List<AuditChain.Change> changes(JsonParser json) throws IOException {
        if (json.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("changes is not a list");
        }
        List<AuditChain.Change> changes = new ArrayList<>();
        while (json.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            String before = null;
            String after = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "field" -> name = text(json, field);
                    case "before" -> before = text(json, field);
                    case "after" -> after = text(json, field);
                    default -> throw new IllegalArgumentException("a change has no field " + field);
                }
            }
            changes.add(new AuditChain.Change(name, before, after));
        }
        if (json.currentToken() != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException("changes is not a list of changes");
        }
        return changes;
    }
}
