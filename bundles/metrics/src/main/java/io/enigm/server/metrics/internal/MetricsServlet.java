package io.enigm.server.metrics.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Writes every meter in Prometheus' text format; its context ({@link MetricsContext}) decides who may ask. */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(MetricsContext.SELECT)
@HttpWhiteboardServletPattern("/*")
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final transient PrometheusMeterRegistry registry;

    @Activate
    public MetricsServlet(@Reference PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType(TEXT_FORMAT);
        response.setHeader("Cache-Control", "no-store");
        registry.scrape(response.getOutputStream(), TEXT_FORMAT);
    }
}
