package io.enigm.server.health.internal;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.apache.felix.hc.api.HealthCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One health check per deployed attestation provider ({@link ProviderCheck}), there while the
 * provider is: registered when its service comes, withdrawn when it goes (hot deploy and removal).
 * Its configuration is {@link DiskSpaceCheck}'s, which designates the one metatype of the PID.
 */
@Component(service = {}, immediate = true, configurationPid = HealthConfiguration.PID)
public class ProviderChecks {

    private final BundleContext context;
    private final AttestationRegistry registry;
    private final MeterRegistry meters;
    private final int criticalPercent;
    /** By the provider service's id; guarded by itself. */
    private final Map<Long, ServiceRegistration<HealthCheck>> checks = new HashMap<>();

    @Activate
    public ProviderChecks(BundleContext context, @Reference AttestationRegistry registry,
            @Reference MeterRegistry meters, HealthConfiguration configuration) {
        if (configuration.providerCriticalPercent() < 1 || configuration.providerCriticalPercent() > 100) {
            throw new IllegalArgumentException(HealthConfiguration.PID + ": providerCriticalPercent must be"
                    + " between 1 and 100");
        }
        this.context = context;
        this.registry = registry;
        this.meters = meters;
        this.criticalPercent = configuration.providerCriticalPercent();
    }

    @Reference(service = AttestationProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindProvider(ServiceReference<AttestationProvider> provider) {
        if (!(provider.getProperty(ProviderMetadata.TYPE) instanceof String type)) {
            return;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, "provider " + type);
        properties.put(HealthCheck.TAGS, new String[] { Checks.INSTALLATION, Checks.PROVIDER });
        ServiceRegistration<HealthCheck> check = context.registerService(HealthCheck.class,
                new ProviderCheck(type, registry, meters, criticalPercent, () -> System.nanoTime() / 1_000_000), properties);
        synchronized (checks) {
            checks.put(id(provider), check);
        }
    }

    void unbindProvider(ServiceReference<AttestationProvider> provider) {
        ServiceRegistration<HealthCheck> check;
        synchronized (checks) {
            check = checks.remove(id(provider));
        }
        if (check != null) {
            check.unregister();
        }
    }

    @Deactivate
    void stop() {
        synchronized (checks) {
            checks.values().forEach(ServiceRegistration::unregister);
            checks.clear();
        }
    }

    private static long id(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }
}
