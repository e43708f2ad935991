package io.enigm.server.health.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.health.HealthCheckResult;
import io.enigm.server.health.HealthReport;
import io.enigm.server.health.HealthStatus;
import io.enigm.server.health.InstallationHealth;

/**
 * The installation's health as Felix's executor finds it: every check tagged {@value Checks#INSTALLATION}
 * (or only the core ones), each within the executor's time limit and with its short-lived result cache.
 */
@Component(service = InstallationHealth.class)
public class FelixInstallationHealth implements InstallationHealth {

    private final HealthCheckExecutor executor;

    @Activate
    public FelixInstallationHealth(@Reference HealthCheckExecutor executor) {
        this.executor = executor;
    }

    @Override
    public HealthReport check() {
        return report(executor.execute(HealthCheckSelector.tags(Checks.INSTALLATION)));
    }

    @Override
    public HealthReport core() {
        return report(executor.execute(HealthCheckSelector.tags(Checks.INSTALLATION, Checks.CORE),
                new HealthCheckExecutionOptions().setCombineTagsWithOr(false)));
    }

    private static HealthReport report(List<HealthCheckExecutionResult> executions) {
        List<HealthCheckResult> checks = new ArrayList<>();
        for (HealthCheckExecutionResult execution : executions) {
            Result result = execution.getHealthCheckResult();
            List<String> messages = new ArrayList<>();
            for (ResultLog.Entry entry : result) {
                if (!entry.isDebug()) {
                    messages.add(entry.getMessage());
                }
            }
            List<String> tags = execution.getHealthCheckMetadata().getTags().stream()
                    .filter(tag -> !tag.equals(Checks.INSTALLATION)).toList();
            // Felix reports a check past its time limit as WARN for minutes: a hung core service does not serve
            HealthStatus status = execution.hasTimedOut() && tags.contains(Checks.CORE) ? HealthStatus.CRITICAL
                    : status(result.getStatus());
            checks.add(new HealthCheckResult(execution.getHealthCheckMetadata().getName(), tags, status, messages,
                    execution.getElapsedTimeInMs()));
        }
        checks.sort(Comparator.comparing(HealthCheckResult::name));
        HealthStatus worst = checks.stream().map(HealthCheckResult::status).max(Comparator.naturalOrder())
                .orElse(HealthStatus.OK);
        return new HealthReport(worst, checks);
    }

    private static HealthStatus status(Result.Status status) {
        return switch (status) {
            case OK -> HealthStatus.OK;
            case WARN -> HealthStatus.WARN;
            case TEMPORARILY_UNAVAILABLE -> HealthStatus.TEMPORARILY_UNAVAILABLE;
            case CRITICAL -> HealthStatus.CRITICAL;
            case HEALTH_CHECK_ERROR -> HealthStatus.HEALTH_CHECK_ERROR;
        };
    }
}
