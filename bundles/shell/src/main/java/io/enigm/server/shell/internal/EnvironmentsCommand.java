package io.enigm.server.shell.internal;

import java.util.function.Supplier;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.content.ContentAdministration;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.MembershipCount;
import io.enigm.server.membership.MembershipCounts;
import io.enigm.server.policy.Policies;

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
        MembershipCount count = readable(() -> membership.count(environment.id()));
        table.row(environment.id(), environment.name(), environment.state(),
                count == null ? null : count.members(),
                count == null ? null : count.membersByState().getOrDefault(MemberState.ACTIVE, 0L),
                count == null ? null : count.devices(),
                count == null ? null : count.devicesByTrust().getOrDefault(DeviceTrust.TRUSTED, 0L),
                readable(() -> content.statistics(environment.id()).total().objects()),
                environment.legalHold() ? "held" : "no",
                readable(() -> policies.current(environment.id()).version()));
    }

    /** A deleted environment keeps only its tombstone: what cannot be read for it prints as "-". */
    private static <T> T readable(Supplier<T> read) {
        try {
            return read.get();
        } catch (NotFoundException e) {
            return null;
        }
    }
}
