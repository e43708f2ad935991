package io.enigm.server.support.overview;

import java.util.function.Supplier;

import io.enigm.server.common.NotFoundException;
import io.enigm.server.content.ContentAdministration;
import io.enigm.server.environment.Environment;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.MembershipCount;
import io.enigm.server.membership.MembershipCounts;
import io.enigm.server.policy.Policies;

/**
 * One environment as the operator's overviews (the console's Environments page, the shell's
 * {@code enigm:environments}) show it: its state and how much it holds, never a name of a member, a
 * handle or a byte of content. A number that cannot be read for it (a deleted environment keeps
 * only its tombstone) is {@code null}.
 */
public record EnvironmentLine(String id, String name, String state, String region, Long activeMembers, Long members,
        Long trustedDevices, Long devices, Long contentObjects, boolean legalHold, Long policyVersion) {

    public static EnvironmentLine of(Environment environment, MembershipCounts membership, ContentAdministration content,
            Policies policies) {
        MembershipCount count = readable(() -> membership.count(environment.id()));
        return new EnvironmentLine(environment.id(), environment.name(), environment.state().name(),
                environment.regionLabel(),
                count == null ? null : count.membersByState().getOrDefault(MemberState.ACTIVE, 0L),
                count == null ? null : count.members(),
                count == null ? null : count.devicesByTrust().getOrDefault(DeviceTrust.TRUSTED, 0L),
                count == null ? null : count.devices(),
                readable(() -> content.statistics(environment.id()).total().objects()),
                environment.legalHold(),
                readable(() -> policies.current(environment.id()).version()));
    }

    private static <T> T readable(Supplier<T> read) {
        try {
            return read.get();
        } catch (NotFoundException e) {
            return null;
        }
    }
}
