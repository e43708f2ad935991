package io.enigm.server.membership;

import java.util.Map;

/**
 * How many members and devices an environment has, for the operator's overview: numbers only.
 *
 * @param environmentId  the environment
 * @param membersByState its members by state; a state no member is in is absent
 * @param devicesByTrust its members' devices by trust state; a state no device is in is absent
 * @since 3.4
 */
public record MembershipCount(String environmentId, Map<MemberState, Long> membersByState,
        Map<DeviceTrust, Long> devicesByTrust) {

    public MembershipCount {
        membersByState = Map.copyOf(membersByState);
        devicesByTrust = Map.copyOf(devicesByTrust);
    }

    /** Every member, whatever its state. */
    public long members() {
        return membersByState.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every device, whatever its trust. */
    public long devices() {
        return devicesByTrust.values().stream().mapToLong(Long::longValue).sum();
    }
}
