package io.enigm.server.http.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

/** The servlet context that holds the API under {@value #PATH}. */
@Component(service = ServletContextHelper.class)
@HttpWhiteboardContext(name = ApiContext.NAME, path = ApiContext.PATH)
public class ApiContext extends ServletContextHelper {

    static final String NAME = "enigm.api";
    static final String PATH = "/api/v1";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
}
