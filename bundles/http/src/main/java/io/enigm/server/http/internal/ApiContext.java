package io.enigm.server.http.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

import io.enigm.server.http.internal.jetty.ConnectorHardening;

/**
 * The servlet context that holds the API under {@value #PATH}. It exists only while the server's
 * connectors are hardened ({@link ConnectorHardening}), so the API is never served without that.
 */
@Component(service = ServletContextHelper.class, reference = @Reference(name = "hardenedConnectors",
        service = Object.class, target = ConnectorHardening.HARDENED_FILTER))
@HttpWhiteboardContext(name = ApiContext.NAME, path = ApiContext.PATH)
public class ApiContext extends ServletContextHelper {

    static final String NAME = "enigm.api";
    static final String PATH = "/api/v1";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
}
