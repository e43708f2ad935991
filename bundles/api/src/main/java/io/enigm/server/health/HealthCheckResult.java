package io.enigm.server.health;

import java.util.List;

/**
 * One check's result.
 *
 * @param name          what was checked, e.g. {@code store} or {@code provider esim}
 * @param tags          the check's kind: {@value #CORE}, {@value #INTEGRITY} or {@value #PROVIDER}
 * @param status        how it stands
 * @param messages      what the check found, for operators: never secrets, tokens or raw identifiers
 * @param elapsedMillis how long the check took
 */
public record HealthCheckResult(String name, List<String> tags, HealthStatus status, List<String> messages,
        long elapsedMillis) {

    /** A core service the API needs to serve: the store, the data home's room, the webhook outbox. */
    public static final String CORE = "core";
    /** What the installation keeps intact but serves without: the audit chain. */
    public static final String INTEGRITY = "integrity";
    /** One deployed attestation provider. */
    public static final String PROVIDER = "provider";

    public HealthCheckResult {
        tags = List.copyOf(tags);
        messages = List.copyOf(messages);
    }
}
