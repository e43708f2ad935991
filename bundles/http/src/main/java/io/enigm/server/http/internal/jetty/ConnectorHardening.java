package io.enigm.server.http.internal.jetty;

import java.util.ArrayList;
import java.util.EventListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AcceptRateLimit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hardens the Jetty server that Felix HTTP runs, for every connector it has:
 * <ul>
 * <li>header values reach the application exactly as sent: Jetty's parser keeps a per-connection
 * cache of header fields and by default matches a cached value without regard to letter case, so
 * on a kept-alive connection a token differing from an earlier one only in case would be read as
 * the earlier one;</li>
 * <li>every error Jetty or a servlet's {@code sendError} answers is problem+json
 * ({@link ProblemErrorHandler});</li>
 * <li>on the HTTP connector it takes over, open connections and new connections per second are
 * bounded, and optionally the slowest request body ({@link ConnectorConfiguration});</li>
 * <li>every answer over HTTPS, the API's and the Web Console's, carries HSTS
 * ({@code Strict-Transport-Security: max-age=31536000}): a browser that has once reached the server
 * over TLS never falls back to plain HTTP for a year.</li>
 * </ul>
 * Felix HTTP offers no setting for any of these; the only hook that reaches its Jetty server is a
 * {@link ConnectorFactory} service, which Felix calls with the server once its own connectors
 * listen (again after each restart of Jetty). The factory takes over Felix's HTTP connector:
 * hardens it, stops it (closing every connection accepted before the hardening) and hands it back
 * to Felix as the connector it asked for, which Felix starts again. When this component goes away,
 * Felix stops that connector; the component then restarts it, still hardened, so the server keeps
 * listening.
 */
@Component(service = ConnectorFactory.class, immediate = true, configurationPid = ConnectorConfiguration.PID)
@Designate(ocd = ConnectorConfiguration.class)
public final class ConnectorHardening implements ConnectorFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorHardening.class);
    private static final long PORT_RELEASE_MILLIS = 5000;
    /** HSTS max-age: one year, the usual minimum for browsers' preload lists. */
    static final long HSTS_MAX_AGE_SECONDS = 31_536_000;

    /**
     * The property of the service this component registers once it has hardened a server: the API's
     * servlet context and the Web Console's login require it, so nothing is served over a connector
     * before it is hardened (or while it restarts to be).
     */
    public static final String HARDENED_PROPERTY = "enigm.http.connectors";
    public static final String HARDENED_FILTER = "(" + HARDENED_PROPERTY + "=hardened)";

    private final BundleContext context;
    private final ConnectorConfiguration configuration;
    /** The connector taken over from each Jetty server, to give back when this component stops. */
    private final Map<Server, ServerConnector> takenOver = new ConcurrentHashMap<>();
    private ServiceRegistration<Object> hardened;

    @Activate
    public ConnectorHardening(BundleContext context, ConnectorConfiguration configuration) {
        this.context = context;
        if (configuration.maxConnections() < 1 || configuration.maxAcceptsPerSecond() < 1
                || configuration.minRequestBytesPerSecond() < 0) {
            throw new IllegalArgumentException(ConnectorConfiguration.PID + ": maxConnections and maxAcceptsPerSecond"
                    + " must be at least 1, minRequestBytesPerSecond at least 0");
        }
        this.configuration = configuration;
        LOG.info("HTTP connectors: at most {} open connections, {} new per second, request bodies at least {} B/s (0: any);"
                + " header values case-exact; errors as problem+json", configuration.maxConnections(),
                configuration.maxAcceptsPerSecond(), configuration.minRequestBytesPerSecond());
    }

    @Override
    public Connector createConnector(Server server) {
        takenOver.keySet().removeIf(stopped -> !stopped.isRunning());
        ServerConnector connector = firstServerConnector(server);
        ProblemErrorHandler errors = new ProblemErrorHandler();
        server.setErrorHandler(errors);
        for (ContextHandler handler : server.getDescendants(ContextHandler.class)) {
            handler.setErrorHandler(errors);
        }
        for (Connector other : server.getConnectors()) {
            harden(other);
            if (other != connector) {
                other.getConnectedEndPoints().forEach(EndPoint::close);
            }
        }
        try {
            connector.stop();
            awaitPortReleased(connector);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the HTTP connector to harden it", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart the HTTP connector to harden it", e);
        }
        replaceLimits(connector);
        server.removeConnector(connector);
        takenOver.put(server, connector);
        announceHardened();
        return connector;
    }

    /**
     * Puts this configuration's limits on the connector. One given back earlier still has the limits
     * it had then, in its selector manager, which Jetty gives every accept listener bean when the
     * connector starts but never takes back: a stopped limit has already left the connector's beans
     * yet keeps counting there, and a stopped rate limit that pauses accepting never resumes it. So
     * every limit goes from the selector manager, not only those the connector still names.
     */
    private void replaceLimits(ServerConnector connector) {
        SelectorManager selectors = connector.getSelectorManager();
        for (EventListener listener : List.copyOf(selectors.getEventListeners())) {
            if (listener instanceof NetworkConnectionLimit || listener instanceof AcceptRateLimit) {
                selectors.removeEventListener(listener);
            }
        }
        connector.getBeans(NetworkConnectionLimit.class).forEach(connector::removeBean);
        connector.getBeans(AcceptRateLimit.class).forEach(connector::removeBean);
        connector.addBean(new NetworkConnectionLimit(configuration.maxConnections(), connector));
        connector.addBean(new AcceptRateLimit(configuration.maxAcceptsPerSecond(), 1, TimeUnit.SECONDS, connector));
    }

    private void harden(Connector connector) {
        HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
        if (http == null) {
            return;
        }
        HttpConfiguration settings = http.getHttpConfiguration();
        settings.setHeaderCacheCaseSensitive(true);
        settings.setMinRequestDataRate(configuration.minRequestBytesPerSecond());
        // Felix HTTP gives its HTTPS connector a SecureRequestCustomizer, which writes the header
        for (HttpConfiguration.Customizer customizer : settings.getCustomizers()) {
            if (customizer instanceof SecureRequestCustomizer secure) {
                secure.setStsMaxAge(HSTS_MAX_AGE_SECONDS);
            }
        }
    }

    /**
     * Waits for the stopped connector's acceptor threads to end: the operating system keeps the
     * port bound until a thread blocked in {@code accept} has left it, and binding it again before
     * fails with "address already in use".
     */
    private static void awaitPortReleased(ServerConnector connector) throws InterruptedException {
        connector.join(PORT_RELEASE_MILLIS);
    }

    private static ServerConnector firstServerConnector(Server server) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector network) {
                return network;
            }
        }
        throw new IllegalStateException("the HTTP service has no network connector to harden");
    }

    private synchronized void announceHardened() {
        if (hardened == null) {
            hardened = context.registerService(Object.class, new Object(),
                    FrameworkUtil.asDictionary(Map.of(HARDENED_PROPERTY, "hardened")));
        }
    }

    /**
     * The API and the console go first; then the connectors Felix stopped and dropped with this
     * factory are started again, still hardened.
     */
    @Deactivate
    void handBack() {
        synchronized (this) {
            if (hardened != null) {
                hardened.unregister();
                hardened = null;
            }
        }
        List<Server> servers = new ArrayList<>(takenOver.keySet());
        for (Server server : servers) {
            ServerConnector connector = takenOver.remove(server);
            if (server.isRunning() && !connector.isRunning()) {
                try {
                    awaitPortReleased(connector);
                    server.addConnector(connector);
                    connector.start();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    LOG.error("Interrupted while giving back the HTTP connector on port {}; restart the server",
                            connector.getPort());
                } catch (Exception e) {
                    LOG.error("Could not restart the HTTP connector on port {}; restart the server", connector.getPort(), e);
                }
            }
        }
    }
}
