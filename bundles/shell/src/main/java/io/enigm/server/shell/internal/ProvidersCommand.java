package io.enigm.server.shell.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.registry.ProviderUsage;
import io.enigm.server.health.HealthCheckResult;
import io.enigm.server.health.InstallationHealth;

/**
 * {@code enigm:providers}: the attestation providers deployed now (version, whether decisions ask
 * them, their time budget and its use, their health check's status), then the provider bundles the
 * distribution ships in {@code providers/} that are not in {@code deploy/}.
 */
@Component(service = ProvidersCommand.class, property = {
        CommandProcessor.COMMAND_SCOPE + "=" + EnvironmentsCommand.SCOPE,
        CommandProcessor.COMMAND_FUNCTION + "=providers"})
public final class ProvidersCommand {

    /** The launcher's framework property naming the distribution's directory. */
    static final String DISTRIBUTION = "enigm.dist";
    /** The name of a provider check: "provider" and the provider's type (the health bundle's). */
    static final String CHECK_PREFIX = "provider ";

    private final AttestationRegistry registry;
    private final InstallationHealth health;
    private final Path distribution;

    @Activate
    public ProvidersCommand(BundleContext context, @Reference AttestationRegistry registry,
            @Reference InstallationHealth health) {
        this.registry = registry;
        this.health = health;
        String dist = context.getProperty(DISTRIBUTION);
        this.distribution = dist == null || dist.isBlank() ? null : Path.of(dist);
    }

    @Descriptor("lists the attestation providers: deployed ones with version, selection, budget use and health,"
            + " then the ones providers/ holds that are not deployed")
    public String providers() {
        return deployed(registry.providers(), registry.usage(), health.check().checks())
                + available(distribution);
    }

    static String deployed(List<ProviderInfo> providers, List<ProviderUsage> usage, List<HealthCheckResult> checks) {
        Map<String, ProviderUsage> used = usage.stream()
                .collect(Collectors.toMap(ProviderUsage::type, Function.identity(), (first, second) -> first));
        Map<String, HealthCheckResult> checked = checks.stream().filter(check -> check.name().startsWith(CHECK_PREFIX))
                .collect(Collectors.toMap(check -> check.name().substring(CHECK_PREFIX.length()), Function.identity(),
                        (first, second) -> first));
        Table table = Table.of("TYPE", "VERSION", "CATEGORY", "BUNDLE", "SELECTED", "BUDGET",
                "ASKED/ANSWERED/TIMED-OUT/FAILED", "SLOWEST", "HEALTH");
        for (ProviderInfo info : providers) {
            ProviderUsage use = used.get(info.type());
            HealthCheckResult check = checked.get(info.type());
            table.row(info.type(), info.version(), info.category(), info.bundle(), info.selected() ? "yes" : "no",
                    use == null ? null : use.budget().toMillis() + "ms",
                    use == null ? null : use.asked() + "/" + use.answered() + "/" + use.timedOut() + "/" + use.failed(),
                    use == null || use.answered() == 0 ? null : use.slowest().toMillis() + "ms",
                    check == null ? null : check.status());
        }
        return table.toString() + "deployed: " + providers.size() + "\n";
    }

    /** The jars of providers/ not in deploy/, as the launcher's "providers" command finds them. */
    static String available(Path distribution) {
        if (distribution == null || !Files.isDirectory(distribution.resolve("providers"))) {
            return "available: none (no providers/ in the distribution)\n";
        }
        try (Stream<Path> shipped = Files.list(distribution.resolve("providers"))) {
            List<String> notDeployed = shipped.map(jar -> jar.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .filter(name -> !Files.exists(distribution.resolve("deploy").resolve(name)))
                    .sorted().toList();
            return "available (providers/, not in deploy/): "
                    + (notDeployed.isEmpty() ? "none" : String.join(", ", notDeployed)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + distribution.resolve("providers"), e);
        }
    }
}
