package io.enigm.server.health;

import java.util.List;

/**
 * Every check's result, and the worst of them.
 *
 * @param status the worst status among the checks ({@code OK} when there are none)
 * @param checks each check's result, by name
 */
public record HealthReport(HealthStatus status, List<HealthCheckResult> checks) {

    public HealthReport {
        checks = List.copyOf(checks);
    }
}
