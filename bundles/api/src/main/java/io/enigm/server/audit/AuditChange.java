package io.enigm.server.audit;

import java.util.Objects;

/**
 * One field an administrative or operator action changed. Values are recorded only where they are
 * not sensitive (names, states, roles, settings, policy versions, configuration values that are not
 * secrets); a sensitive field is named with both values {@code null}.
 *
 * @param field  the field's name, e.g. {@code name} or {@code visibility.memberDirectory}
 * @param before its value before, or {@code null} when absent or not recorded
 * @param after  its value after, or {@code null} when removed or not recorded
 */
public record AuditChange(String field, String before, String after) {

    public AuditChange {
        Objects.requireNonNull(field, "field");
    }

    /** A change of a sensitive field: named, its values never recorded. */
    public static AuditChange withheld(String field) {
        return new AuditChange(field, null, null);
    }
}
