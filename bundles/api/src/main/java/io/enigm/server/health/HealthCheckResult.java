package io.enigm.server.health;

import java.util.List;

/**
 * One check's result.
 *
 * @param name          what was checked, e.g. {@code store} or {@code provider esim}
 * @param tags          the check's tags: {@code core} or {@code provider}
 * @param status        how it stands
 * @param messages      what the check found, for operators: never secrets, tokens or raw identifiers
 * @param elapsedMillis how long the check took
 */
public record HealthCheckResult(String name, List<String> tags, HealthStatus status, List<String> messages,
        long elapsedMillis) {

    public HealthCheckResult {
        tags = List.copyOf(tags);
        messages = List.copyOf(messages);
    }
}
