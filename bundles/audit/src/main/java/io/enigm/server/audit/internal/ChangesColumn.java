package io.enigm.server.audit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.audit.AuditChange;

/** The {@code changes} column: an update's changed fields as a JSON array, NULL when there are none. */
final class ChangesColumn {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<AuditChange>> CHANGES = new TypeReference<>() {
    };

    private ChangesColumn() {
    }

    static String write(List<AuditChange> changes) {
        if (changes.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(changes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<AuditChange> read(String column) {
        if (column == null) {
            return List.of();
        }
        try {
            return JSON.readValue(column, CHANGES);
        } catch (IOException e) {
            // a value the log did not write: the chain's check will name the record
            throw new IllegalStateException("an audit record's changes column is not a list of changes", e);
        }
    }
}
