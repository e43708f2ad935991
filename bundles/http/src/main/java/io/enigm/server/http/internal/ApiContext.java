package io.enigm.server.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.http.internal.jetty.ConnectorHardening;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.work.UnitOfWork;
import io.micrometer.core.instrument.MeterRegistry;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The servlet context that holds the API under {@value #PATH}, and its security: before the servlet
 * sees a request, the context finds its route and, for an administrative one, authenticates the
 * caller and authorizes it from the route's declared access. A request it refuses (no such route,
 * no valid token, not allowed) is answered here and goes no further. The context exists only while
 * the server's connectors are hardened ({@link ConnectorHardening}), so the API is never served
 * without that.
 */
@Component(service = ServletContextHelper.class, configurationPid = HttpConfiguration.PID,
        reference = @Reference(name = "hardenedConnectors", service = Object.class,
                target = ConnectorHardening.HARDENED_FILTER))
@HttpWhiteboardContext(name = ApiContext.NAME, path = ApiContext.PATH)
public class ApiContext extends ServletContextHelper {

    static final String NAME = "enigm.api";
    static final String PATH = "/api/v1";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    private static final String ADMITTED = ApiContext.class.getName() + ".admitted";

    /** A request the context let through: its route, and its administrator on an administrative route. */
    record Admitted(RouteTable.Match match, AdminPrincipal principal) {
    }

    private final RouteTable routes;
    private final AdminAuthentication authentication;
    private final RouteAuthorization authorization;
    private final ApiAnswers answers;

    @Activate
    public ApiContext(@Reference ApiRoutes routes, @Reference AdminTokens tokens, @Reference AuditLog audit,
            @Reference UnitOfWork work, @Reference SecurityEventRecorder events,
            @Reference UnauthenticatedRefusals unauthenticated, @Reference MeterRegistry meters,
            HttpConfiguration configuration) {
        this.routes = routes.table();
        this.authentication = new AdminAuthentication(tokens, unauthenticated);
        this.authorization = new RouteAuthorization(new RequestAudit(audit), work, events);
        this.answers = new ApiAnswers(ApiJson.mapper(), new RequestBodies(configuration.maxBodyBytes()),
                new RequestMetrics(meters));
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        RequestMetrics.started(request);
        try {
            request.setAttribute(ADMITTED, admit(request));
            return true;
        } catch (RuntimeException e) {
            answers.fail(request, response, e);
            return false;
        }
    }

    /** What {@link #handleSecurity} admitted the request as. */
    static Admitted admitted(HttpServletRequest request) {
        if (!(request.getAttribute(ADMITTED) instanceof Admitted admitted)) {
            throw new IllegalStateException("a request reached the API without passing its context's security");
        }
        return admitted;
    }

    private Admitted admit(HttpServletRequest request) {
        RouteTable.Match match = routes.find(request.getMethod(), request.getPathInfo());
        RequestMetrics.routed(request, match.route());
        Access access = match.route().access();
        if (!access.isAdministrative()) {
            return new Admitted(match, null);
        }
        String header = request.getHeader("Authorization");
        AdminPrincipal principal = access.admitsSession() && header != null
                ? authentication.find(header).orElse(null)
                : authentication.authenticate(header, match);
        if (principal == null) {
            // a bearer token that no administrator holds: a member's device's, whose session the service proves
            return new Admitted(match, null);
        }
        authorization.authorize(match, principal);
        return new Admitted(match, principal);
    }
}
