package io.enigm.server.console.internal;

import java.io.IOException;
import java.io.PrintWriter;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.health.HealthCheckResult;
import io.enigm.server.health.HealthReport;
import io.enigm.server.health.InstallationHealth;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The installation's health in detail, as the owner's {@code GET /api/v1/health/checks} gives it:
 * each core service's and each deployed provider's check, its status and what it found. Read only;
 * every load runs the checks (Felix caches their results for two seconds).
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + HealthConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Health",
        ServletConstants.PLUGIN_CATEGORY + "=Enigm"})
public final class HealthConsolePlugin extends AbstractServlet {

    static final String LABEL = "enigm-health";
    private static final long serialVersionUID = 1L;

    private final transient InstallationHealth health;

    @Activate
    public HealthConsolePlugin(@Reference InstallationHealth health) {
        this.health = health;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter page = response.getWriter();
        HealthReport report = health.check();
        page.println(Html.statline("The installation is " + report.status() + (report.serves()
                ? "; its core services serve." : "; a core service does not: its public health answer is DOWN.")
                + " " + report.checks().size() + " checks."));
        page.println(Html.tableStart("Check", "Kind", "Status", "What it found", "Took (ms)"));
        for (HealthCheckResult check : report.checks()) {
            page.println(Html.row(check.name(), String.join(", ", check.tags()), check.status(),
                    String.join(" ", check.messages()), check.elapsedMillis()));
        }
        page.println(Html.tableEnd());
    }
}
