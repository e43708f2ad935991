package io.enigm.server.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditStatus;
import io.enigm.server.audit.AuditVerification;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The audit chain's integrity for the operator: how long it is, its latest signed checkpoint, what
 * its latest verification found, and a button that verifies the whole chain now. A verification
 * started here is audited with the operator as its actor (action {@value #ACTION}, as the API's).
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + AuditConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Audit integrity",
        ServletConstants.PLUGIN_CATEGORY + "=Enigm"})
public final class AuditConsolePlugin extends AbstractServlet {

    static final String LABEL = "enigm-audit";
    static final String ACTION = "audit.verify";
    /** The audit category of a verification that found the chain broken. */
    static final String BROKEN = "CHAIN_BROKEN";
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> NOTICES = Map.of("intact", "Verified now: the chain is intact.",
            "broken", "Verified now: the chain is BROKEN. See below where.");

    private final transient AuditLog audit;

    @Activate
    public AuditConsolePlugin(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AuditStatus status = audit.status();
        PrintWriter page = response.getWriter();
        page.println(Html.notice(NOTICES, request.getParameter("notice")));
        page.println(Html.tableStart("The audit chain", ""));
        page.println(Html.row("Records", status.records()));
        page.println(Html.row("Last sequence number", status.headSequence()));
        AuditStatus.Checkpoint checkpoint = status.lastCheckpoint();
        page.println(Html.row("Last signed checkpoint", checkpoint == null ? "none yet"
                : "at record " + checkpoint.sequence() + ", signed " + checkpoint.signedAt()));
        AuditStatus.Verification verification = status.lastVerification();
        page.println(Html.row("Last verification", verification == null ? "none since the server started"
                : verification.finishedAt().toString()));
        page.println(Html.row("Its result", verification == null ? null : result(verification.result())));
        page.println(Html.tableEnd());
        page.println(Html.postButton("Verify now", Map.of("action", "verify")));
    }

    /** What a verification found, in words. */
    static String result(AuditVerification verification) {
        if (verification.intact()) {
            return "intact (" + verification.records() + " records read)";
        }
        return "BROKEN at record " + verification.firstBrokenSequence() + ": " + verification.problem() + " ("
                + verification.records() + " records read)";
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"verify".equals(request.getParameter("action"))) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        // a read, so not a unit of work: the writer never waits for the walk along the chain
        AuditVerification verification = audit.verify();
        audit.append(new AuditEntry(ConsoleLogins.actor(ConsoleSecurityProvider.USER), "OPERATOR", null, ACTION,
                null, AuditOutcome.ALLOWED, verification.intact() ? null : BROKEN));
        response.sendRedirect(request.getRequestURI() + "?notice=" + (verification.intact() ? "intact" : "broken"));
    }
}
