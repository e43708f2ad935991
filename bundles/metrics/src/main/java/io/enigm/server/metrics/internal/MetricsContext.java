package io.enigm.server.metrics.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.metrics.internal.MetricsConfiguration.Access;
import io.enigm.server.home.DataHome;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The servlet context of {@value #PATH}: lets a request through only with the metrics token, or,
 * when so configured, only from and to loopback. The token is the endpoint's own, so a scraper
 * never holds an administrator's token.
 */
@Component(service = ServletContextHelper.class, configurationPid = MetricsConfiguration.PID,
        reference = @Reference(name = "hardenedConnectors", service = Object.class,
                target = MetricsContext.HARDENED_CONNECTORS))
@Designate(ocd = MetricsConfiguration.class)
@HttpWhiteboardContext(name = MetricsContext.NAME, path = MetricsContext.PATH)
public class MetricsContext extends ServletContextHelper {

    static final String NAME = "enigm.metrics";
    static final String PATH = "/metrics";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    /** The HTTP bundle's mark that Jetty's connectors are hardened: nothing is served before it. */
    static final String HARDENED_CONNECTORS = "(enigm.http.connectors=hardened)";
    /** Headers a proxy adds: a request that passed one is not the local caller LOOPBACK trusts. */
    private static final List<String> FORWARDED = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP", "Via");
    private static final Logger LOG = LoggerFactory.getLogger(MetricsContext.class);

    private final Access access;
    private final MetricsToken token;

    @Activate
    public MetricsContext(@Reference DataHome home, MetricsConfiguration configuration) {
        this.access = configuration.access();
        this.token = new MetricsToken(home);
        LOG.info("Metrics at {}: {}", PATH, access == Access.TOKEN
                ? "with the token in " + token.file() : "from loopback only, without a token");
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (access == Access.LOOPBACK ? isLocal(request) : token.admits(request.getHeader("Authorization"))) {
            return true;
        }
        response.setStatus(access == Access.LOOPBACK ? HttpServletResponse.SC_FORBIDDEN
                : HttpServletResponse.SC_UNAUTHORIZED);
        if (access == Access.TOKEN) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/problem+json;charset=utf-8");
        response.getWriter().write(access == Access.LOOPBACK
                ? "{\"type\":\"about:blank\",\"title\":\"Metrics are answered on loopback only\",\"status\":403}"
                : "{\"type\":\"about:blank\",\"title\":\"The metrics token is needed\",\"status\":401,"
                        + "\"detail\":\"Send Authorization: Bearer with the token in secrets/metrics-token.\"}");
        return false;
    }

    /** From and to a loopback address, and through no proxy that says so. */
    private static boolean isLocal(HttpServletRequest request) {
        return isLoopback(request.getRemoteAddr()) && isLoopback(request.getLocalAddr())
                && FORWARDED.stream().noneMatch(header -> request.getHeader(header) != null);
    }

    private static boolean isLoopback(String address) {
        try {
            // a literal address from the connection: no name is looked up
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
