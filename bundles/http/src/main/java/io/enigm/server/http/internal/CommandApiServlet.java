package io.enigm.server.http.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.work.IdempotentAnswers;
import io.enigm.server.work.UnitOfWork;
import io.micrometer.core.instrument.MeterRegistry;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The API's one servlet: runs the route its context ({@link ApiContext}) admitted the request to
 * ({@link RouteExecution}) and answers ({@link ApiAnswers}). Domain rules live in the services; the
 * route table in {@link ApiRoutes}; refusals in {@link Refusals}.
 */
@Component(service = Servlet.class, configurationPid = HttpConfiguration.PID)
@Designate(ocd = HttpConfiguration.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletAsyncSupported
public class CommandApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommandApiServlet.class);

    private final transient RouteExecution execution;
    private final transient ApiAnswers answers;

    @Activate
    public CommandApiServlet(@Reference UnitOfWork work, @Reference AuditLog audit,
            @Reference CriticalOperationPin pin, @Reference IdempotentAnswers answers, @Reference MeterRegistry meters,
            HttpConfiguration configuration) {
        RequestBodies bodies = new RequestBodies(configuration.maxBodyBytes());
        ObjectMapper json = ApiJson.mapper();
        this.execution = new RouteExecution(work, pin, answers, new RequestAudit(audit), bodies, json);
        this.answers = new ApiAnswers(json, bodies, new RequestMetrics(meters));
        LOG.info("Command API servlet: bodies up to {} bytes", bodies.limit());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answers.answer(request, response, () -> execution.run(ApiContext.admitted(request), request));
    }
}
