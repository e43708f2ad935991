package io.enigm.server.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.registry.ProviderUsage;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The attestation providers: each installed provider bundle with what the registry knows of its
 * providers (version, whether decisions ask it, its time budget and how it used it, so its health),
 * a button that starts or stops the bundle, and the provider bundles the distribution ships but does
 * not run, each with a button that deploys it. Starting and stopping are audited with the operator
 * as actor by the audit bundle's record of bundle events; a deployment is audited here.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + ProvidersConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Attestation providers",
        ServletConstants.PLUGIN_CATEGORY + "=Enigm"})
public final class ProvidersConsolePlugin extends AbstractServlet {

    static final String LABEL = "enigm-providers";
    static final String DEPLOY_ACTION = "provider.deploy";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ProvidersConsolePlugin.class);
    private static final Map<String, String> NOTICES = Map.of("started", "The provider bundle is started.",
            "stopped", "The provider bundle is stopped; decisions that need it fail closed.",
            "deployed", "The provider bundle is copied to deploy/; it is installed and started in a moment.",
            "unknown", "There is no such provider bundle.",
            "failed", "The provider bundle could not be changed; the server's log says why.");

    private final transient AttestationRegistry registry;
    private final transient AuditLog audit;
    private final transient ProviderBundles bundles;
    private final transient ProviderJars jars;

    @Activate
    public ProvidersConsolePlugin(BundleContext context, @Reference AttestationRegistry registry,
            @Reference AuditLog audit) {
        this.registry = registry;
        this.audit = audit;
        this.bundles = new ProviderBundles(context);
        this.jars = ProviderJars.of(context.getProperty(ProviderJars.DISTRIBUTION),
                context.getProperty(ProviderJars.WATCHED_DIRECTORIES));
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter page = response.getWriter();
        page.println(Html.notice(NOTICES, request.getParameter("notice")));
        List<Bundle> installed = bundles.installed();
        List<ProviderInfo> providers = registry.providers();
        Map<String, ProviderUsage> usage = registry.usage().stream()
                .collect(Collectors.toMap(ProviderUsage::type, Function.identity(), (first, second) -> first));
        page.println(Html.statline("Installed provider bundles: " + installed.size() + "."));
        page.println(Html.tableStart("Bundle", "Bundle version", "State", "Provider", "Provider version", "Category",
                "Asked by decisions", "Time budget", "Asked / answered / timed out / failed", "Slowest answer",
                "Health", ""));
        for (Bundle bundle : installed) {
            List<ProviderInfo> own = providers.stream().filter(info -> info.bundle().equals(bundle.getSymbolicName()))
                    .toList();
            Html.Markup action = Html.postButton(bundle.getState() == Bundle.ACTIVE ? "Disable" : "Enable",
                    Map.of("action", bundle.getState() == Bundle.ACTIVE ? "stop" : "start",
                            "bundle", Long.toString(bundle.getBundleId())));
            if (own.isEmpty()) {
                page.println(Html.row(bundle.getSymbolicName(), bundle.getVersion(), ProviderBundles.state(bundle),
                        null, null, null, null, null, null, null, health(bundle.getState() == Bundle.ACTIVE, null, null),
                        action));
            }
            for (ProviderInfo info : own) {
                ProviderUsage used = usage.get(info.type());
                page.println(Html.row(bundle.getSymbolicName(), bundle.getVersion(), ProviderBundles.state(bundle),
                        info.type(), info.version(), info.category(), info.selected() ? "yes" : "no (not selected)",
                        used == null ? null : used.budget().toMillis() + " ms",
                        used == null ? null : used.asked() + " / " + used.answered() + " / " + used.timedOut() + " / "
                                + used.failed(),
                        used == null || used.answered() == 0 ? null : used.slowest().toMillis() + " ms",
                        health(bundle.getState() == Bundle.ACTIVE, info, used), action));
            }
        }
        page.println(Html.tableEnd());
        renderAvailable(page, installed);
    }

    private void renderAvailable(PrintWriter page, List<Bundle> installed) throws IOException {
        if (!jars.canDeploy()) {
            page.println(Html.statline("Providers the distribution ships: none found (no providers/ directory in"
                    + " the distribution, or no deploy/ directory watched)."));
            return;
        }
        Set<String> running = installed.stream().map(Bundle::getSymbolicName).collect(Collectors.toSet());
        List<ProviderJars.AvailableJar> available = jars.available().stream()
                .filter(jar -> !running.contains(jar.symbolicName())).toList();
        page.println(Html.statline("Providers the distribution ships, not installed: " + available.size() + "."));
        if (available.isEmpty()) {
            return;
        }
        page.println(Html.tableStart("File", "Bundle", "Name", "Version", ""));
        for (ProviderJars.AvailableJar jar : available) {
            page.println(Html.row(jar.fileName(), jar.symbolicName(), jar.name(), jar.version(),
                    Html.postButton("Enable", Map.of("action", "deploy", "jar", jar.fileName()))));
        }
        page.println(Html.tableEnd());
    }

    /** A provider's health as far as the registry knows it: whether it runs, is registered, and how its last answer went. */
    static String health(boolean active, ProviderInfo info, ProviderUsage usage) {
        if (!active) {
            return "disabled";
        }
        if (info == null) {
            return "no provider registered (see its configuration and the log)";
        }
        if (usage == null || usage.last() == null) {
            return "not asked yet";
        }
        return switch (usage.last()) {
            case ANSWERED -> "answering";
            case TIMED_OUT -> "last request timed out";
            case FAILED -> "last request failed";
        };
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String action = String.valueOf(request.getParameter("action"));
        String notice = switch (action) {
            case "start", "stop" -> change(action, request.getParameter("bundle"));
            case "deploy" -> deploy(request.getParameter("jar"));
            default -> "unknown";
        };
        // a fixed notice by name: nothing a link could put on the operator's page
        response.sendRedirect(request.getRequestURI() + "?notice=" + notice);
    }

    private String change(String action, String bundleId) {
        Optional<Bundle> bundle = bundleId(bundleId).flatMap(bundles::find);
        if (bundle.isEmpty()) {
            return "unknown";
        }
        try {
            // audited by the audit bundle's listener, on this thread, with this request's operator
            if (action.equals("start")) {
                bundle.get().start();
                return "started";
            }
            bundle.get().stop();
            return "stopped";
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("Web Console: could not {} provider bundle {} ({}: {})", action, bundle.get().getSymbolicName(),
                    e.getClass().getName(), e.getMessage());
            return "failed";
        }
    }

    private String deploy(String fileName) throws IOException {
        Optional<ProviderJars.AvailableJar> deployed = fileName == null ? Optional.empty() : jars.deploy(fileName);
        if (deployed.isEmpty()) {
            return "unknown";
        }
        audit.append(new AuditEntry(ConsoleLogins.actor(ConsoleSecurityProvider.USER), "OPERATOR", null, DEPLOY_ACTION,
                deployed.get().symbolicName(), AuditOutcome.ALLOWED, null));
        return "deployed";
    }

    private static Optional<Long> bundleId(String parameter) {
        try {
            return parameter == null ? Optional.empty() : Optional.of(Long.parseLong(parameter));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
