package io.enigm.server.console.internal;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;

import io.enigm.server.attestation.spi.AttestationProvider;

/**
 * The installed bundles that offer an attestation provider, whether they run or not: a stopped
 * provider registers no service, so it is recognised by the capability its manifest declares
 * ({@code osgi.service} with the provider interface, which bnd writes for its component).
 */
final class ProviderBundles {

    static final String SERVICE_NAMESPACE = "osgi.service";
    static final String PROVIDER_INTERFACE = AttestationProvider.class.getName();

    private final BundleContext context;

    ProviderBundles(BundleContext context) {
        this.context = context;
    }

    List<Bundle> installed() {
        return Arrays.stream(context.getBundles()).filter(ProviderBundles::offersProvider).toList();
    }

    /** The installed provider bundle with this id; any other bundle is not this page's to start or stop. */
    Optional<Bundle> find(long id) {
        Bundle bundle = context.getBundle(id);
        return bundle != null && offersProvider(bundle) ? Optional.of(bundle) : Optional.empty();
    }

    static boolean offersProvider(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && revision.getDeclaredCapabilities(SERVICE_NAMESPACE).stream()
                .anyMatch(capability -> names(capability.getAttributes().get("objectClass")).contains(PROVIDER_INTERFACE));
    }

    private static Collection<?> names(Object objectClass) {
        if (objectClass instanceof Collection<?> names) {
            return names;
        }
        return objectClass == null ? List.of() : List.of(objectClass);
    }

    /** A bundle's state in the console's words. */
    static String state(Bundle bundle) {
        return switch (bundle.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> "stopped";
            case Bundle.INSTALLED -> "installed, not resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }
}
