package io.enigm.server.console.internal;

import java.io.IOException;
import java.io.PrintWriter;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.content.ContentAdministration;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.MembershipCounts;
import io.enigm.server.policy.Policies;
import io.enigm.server.support.overview.EnvironmentLine;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The console's overview of the installation's environments: state, how many members, devices and
 * content objects each has, whether a legal hold covers it and its policy version. Read only, through
 * the same services as the API; never content, member names or handles.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + EnvironmentsConsolePlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=Environments",
        ServletConstants.PLUGIN_CATEGORY + "=Enigm"})
public final class EnvironmentsConsolePlugin extends AbstractServlet {

    static final String LABEL = "enigm-environments";
    private static final long serialVersionUID = 1L;
    static final int SHOWN = 100;

    private final transient EnvironmentService environments;
    private final transient MembershipCounts membership;
    private final transient ContentAdministration content;
    private final transient Policies policies;

    @Activate
    public EnvironmentsConsolePlugin(@Reference EnvironmentService environments, @Reference MembershipCounts membership,
            @Reference ContentAdministration content, @Reference Policies policies) {
        this.environments = environments;
        this.membership = membership;
        this.content = content;
        this.policies = policies;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter page = response.getWriter();
        Page<Environment> shown;
        try {
            shown = environments.list(new PageRequest(request.getParameter("after"), SHOWN));
        } catch (InvalidRequestException e) {
            page.println(Html.statline("That is not a page of this list; the first page is shown."));
            shown = environments.list(new PageRequest(null, SHOWN));
        }
        page.println(Html.statline("Environments on this page: " + shown.items().size()
                + (shown.next() == null ? "." : " (more on the next page).")));
        page.println(Html.tableStart("Name", "Id", "State", "Region", "Active members", "Members",
                "Trusted devices", "Devices", "Content objects", "Legal hold", "Policy version"));
        for (Environment environment : shown.items()) {
            EnvironmentLine line = EnvironmentLine.of(environment, membership, content, policies);
            page.println(Html.row(line.name(), line.id(), line.state(), line.region(), line.activeMembers(),
                    line.members(), line.trustedDevices(), line.devices(), line.contentObjects(),
                    line.legalHold() ? "held" : "no", line.policyVersion()));
        }
        page.println(Html.tableEnd());
        if (shown.next() != null) {
            page.println("<p class='statline'>" + Html.link("Next page", "after", shown.next()) + "</p>");
        }
    }
}
