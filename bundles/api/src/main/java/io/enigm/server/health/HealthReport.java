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

    /** Whether the installation serves: every core service's check among these is OK or WARN. */
    public boolean serves() {
        return checks.stream().filter(check -> check.tags().contains(HealthCheckResult.CORE))
                .allMatch(check -> check.status().serves());
    }
}
