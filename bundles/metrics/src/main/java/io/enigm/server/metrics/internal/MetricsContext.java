package io.enigm.server.metrics.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

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
@Component(service = ServletContextHelper.class, configurationPid = MetricsConfiguration.PID)
@Designate(ocd = MetricsConfiguration.class)
@HttpWhiteboardContext(name = MetricsContext.NAME, path = MetricsContext.PATH)
public class MetricsContext extends ServletContextHelper {

    static final String NAME = "enigm.metrics";
    static final String PATH = "/metrics";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    static final String TOKEN_SECRET = "metrics-token";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsContext.class);

    private final Access access;
    private final byte[] expected;

    @Activate
    public MetricsContext(@Reference DataHome home, MetricsConfiguration configuration) {
        this.access = configuration.access();
        this.expected = ("Bearer " + token(home)).getBytes(StandardCharsets.UTF_8);
        LOG.info("Metrics at {}: {}", PATH, access == Access.TOKEN
                ? "with the token in " + home.secrets().resolve(TOKEN_SECRET) : "from loopback only, without a token");
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (access == Access.LOOPBACK ? isLoopback(request.getRemoteAddr()) && isLoopback(request.getLocalAddr())
                : presents(request.getHeader("Authorization"))) {
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

    private boolean presents(String authorization) {
        return authorization != null
                && MessageDigest.isEqual(authorization.strip().getBytes(StandardCharsets.UTF_8), expected);
    }

    private static boolean isLoopback(String address) {
        try {
            // a literal address from the connection: no name is looked up
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The endpoint's token: the one in the data home, or a new one written there on first start. */
    private static String token(DataHome home) {
        return home.readSecret(TOKEN_SECRET)
                .map(content -> new String(content, StandardCharsets.UTF_8).strip())
                .filter(token -> !token.isEmpty())
                .orElseGet(() -> {
                    byte[] random = new byte[32];
                    new SecureRandom().nextBytes(random);
                    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                    home.writeSecret(TOKEN_SECRET, (token + "\n").getBytes(StandardCharsets.UTF_8));
                    return token;
                });
    }
}
