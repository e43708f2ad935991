package io.enigm.server.it;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

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
     * Configures the component of {@code pid} and returns the {@code service} it registers once
     * reactivated with that configuration (injected references keep pointing at the old one).
     */
    protected <S> S reconfigure(Class<S> service, String pid, Map<String, Object> values) throws Exception {
        CountDownLatch registered = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                registered.countDown();
            }
        };
        context.addServiceListener(listener, "(" + Constants.OBJECTCLASS + "=" + service.getName() + ")");
        try {
            configure(pid, values);
            assertTrue(service.getSimpleName() + " comes back with its new configuration",
                    registered.await(10, TimeUnit.SECONDS));
        } finally {
            context.removeServiceListener(listener);
        }
        assertTrue("the API answers health again", api.awaitHealthy(Duration.ofSeconds(20)));
        return context.getService(context.getServiceReference(service));
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
