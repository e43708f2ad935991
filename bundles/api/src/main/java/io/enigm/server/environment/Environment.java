package io.enigm.server.environment;

import java.time.Instant;

/**
 * A private environment.
 *
 * @param id          opaque identifier used in API paths
 * @param name        display name chosen by the operator
 * @param serverId    the shareable join locator (at least 128 random bits); never a credential and
 *                    unrelated to {@code id}
 * @param regionLabel the operator's label for where it is hosted, or {@code null}
 * @param state       lifecycle state
 * @param createdAt   when it was created
 */
public record Environment(String id, String name, String serverId, String regionLabel,
        EnvironmentState state, Instant createdAt) {
}
