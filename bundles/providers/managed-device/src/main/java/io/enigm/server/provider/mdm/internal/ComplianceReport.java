package io.enigm.server.provider.mdm.internal;

import static io.enigm.server.support.json.SignedStatement.Kind.TEXT;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;

import io.enigm.server.support.json.SignedStatement;

/** A managed-device service's report, read from the exact bytes it signed. */
record ComplianceReport(String environmentId, String deviceId, ComplianceState state, Instant reportedAt) {

    private static final Map<String, SignedStatement.Kind> FIELDS = Map.of("environmentId", TEXT, "deviceId", TEXT,
            "state", TEXT, "reportedAt", TEXT);
    private static final int MAX_TEXT = 128;

    /** The report, or {@code null} when the bytes are not a complete, well-formed report. */
    static ComplianceReport parse(byte[] bytes) {
        SignedStatement report = SignedStatement.read(bytes, FIELDS, MAX_TEXT, 0).orElse(null);
        if (report == null) {
            return null;
        }
        try {
            return new ComplianceReport(report.text("environmentId"), report.text("deviceId"),
                    ComplianceState.valueOf(report.text("state")), Instant.parse(report.text("reportedAt")));
        } catch (DateTimeException | IllegalArgumentException e) {
            return null;
        }
    }
}
