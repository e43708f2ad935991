package io.enigm.server.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.owasp.encoder.Encode;

import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.security.RiskClass;
import io.enigm.server.security.SecurityEventFilter;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The installation's latest security events, newest first, optionally of one risk class: category,
 * risk, environment, when and how often. Like the Intelligence feed, minimized: no subject handle.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + SecurityEventsConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Security events",
        ServletConstants.PLUGIN_CATEGORY + "=Enigm"})
public final class SecurityEventsConsolePlugin extends AbstractServlet {

    static final String LABEL = "enigm-security-events";
    static final int SHOWN = 100;
    private static final long serialVersionUID = 1L;

    private final transient SecurityEventFeed feed;

    @Activate
    public SecurityEventsConsolePlugin(@Reference SecurityEventFeed feed) {
        this.feed = feed;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter page = response.getWriter();
        String asked = request.getParameter("risk");
        Optional<RiskClass> risk = riskClass(asked);
        if (risk.isEmpty() && asked != null && !asked.isBlank()) {
            page.println(Html.statline("There is no risk class by that name; every class is shown."));
        }
        page.println(filterForm(risk.orElse(null)));
        List<SecurityEvent> events = feed.latestInstallation(new SecurityEventFilter(risk.orElse(null), null, null,
                null), SHOWN);
        page.println(Html.statline("The latest " + events.size() + " events" + risk.map(r -> " of risk " + r)
                .orElse("") + ", newest first" + (events.size() == SHOWN ? " (older ones not shown)." : ".")));
        page.println(Html.tableStart("When (to the minute)", "Risk", "Category", "Environment", "Occurrences"));
        for (SecurityEvent event : events) {
            page.println(Html.row(event.createdAt(), event.risk(), event.category(),
                    event.environmentId() == null ? "the installation" : event.environmentId(), event.occurrences()));
        }
        page.println(Html.tableEnd());
    }

    /** The risk class a request names, by name in any case; empty for none or an unknown one (then all are shown). */
    static Optional<RiskClass> riskClass(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RiskClass.valueOf(parameter.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A GET form: filtering changes nothing, so it needs no protection and can be bookmarked. */
    private static String filterForm(RiskClass selected) {
        StringBuilder html = new StringBuilder("<form method='get'><label>Risk class <select name='risk'>")
                .append("<option value=''>all</option>");
        for (RiskClass risk : RiskClass.values()) {
            html.append("<option value='").append(Encode.forHtmlAttribute(risk.name())).append("'")
                    .append(risk == selected ? " selected" : "").append(">").append(Html.text(risk)).append("</option>");
        }
        return html.append("</select></label> <button type='submit'>Show</button></form>").toString();
    }
}
