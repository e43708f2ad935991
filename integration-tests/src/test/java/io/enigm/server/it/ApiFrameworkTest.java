package io.enigm.server.it;

import static org.junit.Assert.assertTrue;

import java.time.Duration;

import javax.inject.Inject;

import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;

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
}
