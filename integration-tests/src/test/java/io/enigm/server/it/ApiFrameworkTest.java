package io.enigm.server.it;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Base of the Pax Exam tests: a real Felix with the core feature's bundles, a fresh data home and
 * the API on a free loopback port, answering health before any test runs.
 */
public abstract class ApiFrameworkTest {

    @Inject
    protected BundleContext context;

    /** The API of the framework under test. */
    protected Api api;

    @Configuration
    public Option[] configuration() {
        return FeatureOptions.core(FeatureOptions.temporaryHome(), Api.freePort());
    }

    /** The API's port, read back from the framework: the probe's copy of this class runs apart from the driver's. */
    protected int port() {
        return Integer.parseInt(context.getProperty("org.osgi.service.http.port"));
    }

    @Before
    public void awaitApi() throws InterruptedException {
        api = new Api(port());
        assertTrue("the API answers health within 20 s", api.awaitHealthy(Duration.ofSeconds(20)));
    }

    /** Gives the component of {@code pid} a new configuration through Configuration Admin. */
    protected void configure(String pid, Map<String, Object> values) throws IOException {
        ServiceReference<ConfigurationAdmin> reference = context.getServiceReference(ConfigurationAdmin.class);
        ConfigurationAdmin admin = context.getService(reference);
        try {
            admin.getConfiguration(pid, "?").update(new Hashtable<>(values));
        } finally {
            context.ungetService(reference);
        }
    }

    /**
     * Configures every component of {@code pid} and returns the {@code service} registered once
     * they all run with that configuration (injected references keep pointing at the old one).
     * Several components may share a PID and SCR restarts them one after another, each taking the
     * API's routes down and up again: this waits until all of them carry the new values and every
     * component of the API bundle is back, not for the first registration.
     */
    protected <S> S reconfigure(Class<S> service, String pid, Map<String, Object> values) throws Exception {
        configure(pid, values);
        ServiceReference<ServiceComponentRuntime> reference = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = context.getService(reference);
        try {
            awaitTrue("every component of " + pid + " runs with its new configuration",
                    () -> configurations(scr, description -> Arrays.asList(description.configurationPid).contains(pid))
                            .allMatch(configuration -> running(configuration) && carries(configuration, values)));
            awaitTrue("every component of the API bundle runs again",
                    () -> configurations(scr, description -> "io.enigm.server.http".equals(description.bundle.symbolicName))
                            .allMatch(ApiFrameworkTest::running));
        } finally {
            context.ungetService(reference);
        }
        assertTrue("the API answers health again", api.awaitHealthy(Duration.ofSeconds(20)));
        return context.getService(context.getServiceReference(service));
    }

    private static Stream<ComponentConfigurationDTO> configurations(ServiceComponentRuntime scr,
            Predicate<ComponentDescriptionDTO> which) {
        return scr.getComponentDescriptionDTOs().stream().filter(which)
                .flatMap(description -> scr.getComponentConfigurationDTOs(description).stream());
    }

    private static boolean running(ComponentConfigurationDTO configuration) {
        return configuration.state == ComponentConfigurationDTO.ACTIVE
                || configuration.state == ComponentConfigurationDTO.SATISFIED;
    }

    private static boolean carries(ComponentConfigurationDTO configuration, Map<String, Object> values) {
        return values.entrySet().stream().allMatch(value -> String.valueOf(value.getValue())
                .equals(String.valueOf(configuration.properties.get(value.getKey()))));
    }

    /** Waits, at most 10 s, for {@code condition}: framework state that no event announces. */
    protected static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(what, System.nanoTime() < deadline);
            Thread.sleep(5);
        }
    }
}
