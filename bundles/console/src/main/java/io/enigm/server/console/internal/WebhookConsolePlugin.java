package io.enigm.server.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.PageRequest;
import io.enigm.server.webhook.WebhookBatch;
import io.enigm.server.webhook.WebhookBatchState;
import io.enigm.server.webhook.WebhookOutbox;
import io.enigm.server.work.UnitOfWork;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The console's page for the Intelligence webhook: the batches parked after their last attempt,
 * each with a button that re-drives it (audited with the operator as actor), and how many wait.
 * Everything printed is escaped; the console's login checks that a re-drive comes from its own page.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + WebhookConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Intelligence webhook",
        ServletConstants.PLUGIN_CATEGORY + "=Enigm"})
public final class WebhookConsolePlugin extends AbstractServlet {

    static final String LABEL = "enigm-webhook";
    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 100;
    private static final Map<String, String> NOTICES = Map.of("redriven", "The batch is tried again now.",
            "unknown", "There is no such batch.", "not-parked", "Only a parked batch can be re-driven.");

    private final transient WebhookOutbox outbox;
    private final transient UnitOfWork work;

    @Activate
    public WebhookConsolePlugin(@Reference WebhookOutbox outbox, @Reference UnitOfWork work) {
        this.outbox = outbox;
        this.work = work;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<WebhookBatch> parked = outbox.list(WebhookBatchState.PARKED, new PageRequest(null, SHOWN)).items();
        int pending = outbox.list(WebhookBatchState.PENDING, new PageRequest(null, SHOWN)).items().size();
        PrintWriter page = response.getWriter();
        page.println(Html.notice(NOTICES, request.getParameter("notice")));
        page.println(Html.statline("Waiting for an attempt: " + (pending == SHOWN ? SHOWN + " or more" : pending)
                + ". Parked: " + parked.size() + (parked.size() == SHOWN ? " (the oldest " + SHOWN + " shown)" : "")
                + "."));
        page.println(Html.tableStart("Batch", "Receiver", "Events", "Attempts", "Last failure", "Created", ""));
        for (WebhookBatch batch : parked) {
            page.println(Html.row(batch.id(), batch.destination(), batch.events(), batch.attempts(),
                    batch.lastFailure(), batch.createdAt(),
                    Html.postButton("Re-drive", Map.of("batch", batch.id()))));
        }
        page.println(Html.tableEnd());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String batch = request.getParameter("batch");
        String notice;
        if (batch == null || batch.isBlank()) {
            notice = "unknown";
        } else {
            try {
                work.run(() -> outbox.redrive(batch), redriven -> new AuditEntry(ConsoleLogins.actor(
                        ConsoleSecurityProvider.USER), "OPERATOR", null, "webhook.batch.redrive", redriven.id(),
                        AuditOutcome.ALLOWED, null));
                notice = "redriven";
            } catch (NotFoundException e) {
                notice = "unknown";
            } catch (ConflictException e) {
                notice = "not-parked";
            }
        }
        // a fixed notice by name: nothing a link could put on the operator's page
        response.sendRedirect(request.getRequestURI() + "?notice=" + notice);
    }
}
