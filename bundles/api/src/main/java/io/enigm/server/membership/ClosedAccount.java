package io.enigm.server.membership;

import java.util.Set;

/** A member whose account is being closed, with every device it ever enrolled. */
public record ClosedAccount(String environmentId, String memberId, Set<String> deviceIds) {

    public ClosedAccount {
        deviceIds = Set.copyOf(deviceIds);
    }
}
