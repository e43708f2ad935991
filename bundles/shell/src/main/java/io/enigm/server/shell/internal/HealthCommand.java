package io.enigm.server.shell.internal;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.health.HealthCheckResult;
import io.enigm.server.health.HealthReport;
import io.enigm.server.health.InstallationHealth;

/** {@code enigm:health}: every health check's status and findings, and the installation's. */
@Component(service = HealthCommand.class, property = {
        CommandProcessor.COMMAND_SCOPE + "=" + EnvironmentsCommand.SCOPE,
        CommandProcessor.COMMAND_FUNCTION + "=health"})
public final class HealthCommand {

    private final InstallationHealth health;

    @Activate
    public HealthCommand(@Reference InstallationHealth health) {
        this.health = health;
    }

    @Descriptor("runs the installation's health checks and prints each one's status and findings")
    public String health() {
        return report(health.check());
    }

    static String report(HealthReport report) {
        Table table = Table.of("CHECK", "STATUS", "MS", "FINDINGS");
        for (HealthCheckResult check : report.checks()) {
            table.row(check.name(), check.status(), check.elapsedMillis(),
                    check.messages().isEmpty() ? null : String.join("; ", check.messages()));
        }
        return table.toString() + "installation: " + report.status()
                + (report.status().serves() ? " (serving)" : " (NOT serving)") + "\n";
    }
}
