package io.enigm.server.shell.internal;


import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.content.ContentAdministration;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.MembershipCounts;
import io.enigm.server.policy.Policies;
import io.enigm.server.support.overview.EnvironmentLine;

/**
 * {@code enigm:environments}: every environment with its state and how much it holds, as the Web
 * Console's Environments page shows it, through the same services; never content, a member's name,
 * a handle or a server ID.
 */
@Component(service = EnvironmentsCommand.class, property = {
        CommandProcessor.COMMAND_SCOPE + "=" + EnvironmentsCommand.SCOPE,
        CommandProcessor.COMMAND_FUNCTION + "=environments"})
public final class EnvironmentsCommand {

    static final String SCOPE = "enigm";
    private static final int PAGE = 100;

    private final EnvironmentService environments;
    private final MembershipCounts membership;
    private final ContentAdministration content;
    private final Policies policies;

    @Activate
    public EnvironmentsCommand(@Reference EnvironmentService environments, @Reference MembershipCounts membership,
            @Reference ContentAdministration content, @Reference Policies policies) {
        this.environments = environments;
        this.membership = membership;
        this.content = content;
        this.policies = policies;
    }

    @Descriptor("lists the environments: id, name, state, members, devices, content objects, legal hold, policy version")
    public String environments() {
        Table table = Table.of("ID", "NAME", "STATE", "MEMBERS", "ACTIVE", "DEVICES", "TRUSTED", "CONTENT", "HOLD",
                "POLICY");
        int listed = 0;
        String after = null;
        do {
            Page<Environment> page = environments.list(new PageRequest(after, PAGE));
            for (Environment environment : page.items()) {
                row(table, environment);
                listed++;
            }
            after = page.next();
        } while (after != null);
        return table.toString() + listed + (listed == 1 ? " environment" : " environments") + "\n";
    }

    private void row(Table table, Environment environment) {
        EnvironmentLine line = EnvironmentLine.of(environment, membership, content, policies);
        table.row(line.id(), line.name(), line.state(), line.members(), line.activeMembers(), line.devices(),
                line.trustedDevices(), line.contentObjects(), line.legalHold() ? "held" : "no", line.policyVersion());
    }
}
