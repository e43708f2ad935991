package io.enigm.server.provider.posture.internal;

import static io.enigm.server.support.json.SignedStatement.Kind.FLAG;
import static io.enigm.server.support.json.SignedStatement.Kind.TEXT;
import static io.enigm.server.support.json.SignedStatement.Kind.TEXTS;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.enigm.server.support.json.SignedStatement;

/**
 * What Enigm OS states about a device, read from the signed JSON bytes. Unknown fields are skipped
 * so that newer OS releases can add facts; every field read here is required.
 */
record PostureStatement(String deviceId, String deviceKey, String nonce, String osVersion, LocalDate patchDate,
        boolean verifiedBoot, List<String> integrity, Instant issuedAt) {

    private static final Map<String, SignedStatement.Kind> FIELDS = Map.of("deviceId", TEXT, "deviceKey", TEXT,
            "nonce", TEXT, "osVersion", TEXT, "patchDate", TEXT, "verifiedBoot", FLAG, "integrity", TEXTS,
            "issuedAt", TEXT);
    /** Enough for a device key's Base64 (an Ed25519 SubjectPublicKeyInfo is 60 characters). */
    private static final int MAX_TEXT = 256;
    private static final int MAX_FLAGS = 64;

    /** The statement, or {@code null} when the bytes are not a complete, well-formed statement. */
    static PostureStatement parse(byte[] bytes) {
        SignedStatement statement = SignedStatement.read(bytes, FIELDS, MAX_TEXT, MAX_FLAGS).orElse(null);
        if (statement == null) {
            return null;
        }
        try {
            return new PostureStatement(statement.text("deviceId"), statement.text("deviceKey"),
                    statement.text("nonce"), statement.text("osVersion"), LocalDate.parse(statement.text("patchDate")),
                    statement.flag("verifiedBoot"), statement.texts("integrity"),
                    Instant.parse(statement.text("issuedAt")));
        } catch (DateTimeException e) {
            return null;
        }
    }
}
