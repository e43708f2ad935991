package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;

/**
 * Provider bundles installed and uninstalled in a running framework. One while other threads keep
 * asking the registry: its signal is used from the moment it starts, is unavailable from the moment
 * it goes, no call throws, and no call waits past the budget. And all four: each imports only the
 * SPI, and those that need configuration stay out until they have it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AttestationHotDeployIT extends ApiFrameworkTest {

    /** The default budget (200 ms) and scheduling on a busy two-core machine. */
    private static final long LONGEST_ALLOWED_MILLIS = 200 + 300;
    /** The DS component names of the two providers that need a configuration to run. */
    private static final String OS_POSTURE = "io.enigm.server.provider.posture.internal.OsPostureProvider";
    private static final String MANAGED_DEVICE = "io.enigm.server.provider.mdm.internal.ManagedDeviceProvider";

    @Inject
    private AttestationRegistry registry;
    @Inject
    private EnvironmentService environments;

    @Test
    public void aProviderInstalledAndUninstalledUnderLoadIsUsedThenFailsClosed() throws Exception {
        String environmentId = environments.create(new NewEnvironment("Hot deploy", null)).id();
        DeviceRef device = new DeviceRef(environmentId, "member-1", "device-1", new byte[0]);
        Set<SignalCategory> needed = Set.of(SignalCategory.ESIM_BINDING);
        assertFalse(registry.observe(device, needed, Map.of()).get(SignalCategory.ESIM_BINDING).available());

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong longest = new AtomicLong();
        AtomicLong decisions = new AtomicLong();
        AtomicReference<Observation> latest = new AtomicReference<>();
        ConcurrentLinkedQueue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        ExecutorService deciders = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            loops.add(deciders.submit(() -> {
                while (running.get()) {
                    long started = System.nanoTime();
                    try {
                        latest.set(registry.observe(device, needed, Map.of()).get(SignalCategory.ESIM_BINDING));
                    } catch (Throwable e) {
                        escaped.add(e);
                    }
                    longest.accumulateAndGet(System.nanoTime() - started, Math::max);
                    decisions.incrementAndGet();
                }
            }));
        }
        try {
            Bundle provider = context.installBundle(
                    Path.of(System.getProperty("enigm.provider.esim")).toUri().toString());
            provider.start();
            awaitTrue("the provider's signal is used", () -> latest.get() != null && latest.get().available());
            registry.prepareOperation(device, "esim", "activate", Map.of("iccid", "8944500102198304826")).apply();
            registry.prepareOperation(device, "esim", "bind", Map.of()).apply();
            awaitTrue("its verdict follows the device's profile", () -> latest.get().passed());

            provider.uninstall();
            awaitTrue("gone: unavailable, so policies fail closed", () -> !latest.get().available());
            long gone = decisions.get();
            awaitTrue("the deciders go on", () -> decisions.get() > gone + 100);
            assertFalse("and it stays gone", latest.get().available());
            assertEquals("PROVIDER_ABSENT", latest.get().reasonCode());
        } finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(10, TimeUnit.SECONDS);
            }
            deciders.shutdown();
        }
        assertTrue("exceptions escaped: " + escaped, escaped.isEmpty());
        long millis = TimeUnit.NANOSECONDS.toMillis(longest.get());
        assertTrue("the longest call took " + millis + " ms", millis <= LONGEST_ALLOWED_MILLIS);
    }

    @Test
    public void everyProviderBundleImportsOnlyTheSpiAndStartsOnlyWhenConfigured() throws Exception {
        KeyPair enigmOs = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        List<Bundle> installed = new ArrayList<>();
        Map<String, String> types = Map.of("key", "enigm-key", "os-posture", "os-posture",
                "managed-device", "managed-device", "esim", "esim");
        try {
            for (String name : List.of("key", "os-posture", "managed-device", "esim")) {
                Bundle bundle = context.installBundle(
                        Path.of(System.getProperty("enigm.provider." + name)).toUri().toString());
                installed.add(bundle);
                bundle.start();
                assertEquals(name, Bundle.ACTIVE, bundle.getState());
                for (String imported : bundle.getHeaders().get("Import-Package").split(",(?=[a-z])")) {
                    String pkg = imported.split(";")[0].strip();
                    assertTrue(name + " imports " + pkg, pkg.startsWith("java.") || pkg.startsWith("javax.")
                            || pkg.equals("io.enigm.server.attestation.spi"));
                }
            }
            awaitTrue("the unconfigured providers start", () -> types(registry).containsAll(Set.of("enigm-key", "esim")));
            awaitTrue("OS posture and managed device fail to activate without their keys",
                    () -> failedToActivate(OS_POSTURE) && failedToActivate(MANAGED_DEVICE));
            assertFalse("OS posture refuses to run without its signing key", types(registry).contains("os-posture"));
            assertFalse("managed device refuses to run without its secret", types(registry).contains("managed-device"));

            configure("io.enigm.server.provider.osposture", Map.of("signingPublicKey",
                    Base64.getEncoder().encodeToString(enigmOs.getPublic().getEncoded())));
            configure("io.enigm.server.provider.manageddevice", Map.of("hmacSecret",
                    "a-shared-secret-of-at-least-32-characters"));
            awaitTrue("configured, they start", () -> types(registry).containsAll(types.values()));
            assertEquals(Set.of(SignalCategory.values()), registry.availableCategories());
        } finally {
            for (Bundle bundle : installed) {
                bundle.uninstall();
            }
        }
        awaitTrue("all gone with their bundles", () -> registry.providers().isEmpty());
    }

    /** SCR's state of {@code component}: satisfied, but its activation threw. */
    private boolean failedToActivate(String component) {
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = context.getService(reference);
        try {
            return scr.getComponentDescriptionDTOs().stream().filter(description -> description.name.equals(component))
                    .flatMap(description -> scr.getComponentConfigurationDTOs(description).stream())
                    .anyMatch(configuration -> configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION);
        } finally {
            context.ungetService(reference);
        }
    }

    private static Set<String> types(AttestationRegistry registry) {
        return registry.providers().stream().map(ProviderInfo::type).collect(Collectors.toSet());
    }

}
