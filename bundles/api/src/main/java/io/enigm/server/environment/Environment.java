package io.enigm.server.environment;

import java.time.Instant;
import java.util.Set;

/**
 * A private environment.
 *
 * @param id                  opaque identifier used in API paths
 * @param name                display name chosen by the operator
 * @param serverId            the shareable join locator (at least 128 random bits); never a
 *                            credential and unrelated to {@code id}
 * @param regionLabel         the operator's label for where it is hosted, or {@code null}
 * @param state               lifecycle state
 * @param createdAt           when it was created
 * @param visibility          what members may see of each other
 * @param contentLifetimeDays how long content lives, at most {@link #MAX_CONTENT_LIFETIME_DAYS}
 * @param newDeviceTrust      the trust state newly enrolled devices start in
 * @param legalHold           whether a legal hold covers it now ({@link LegalHolds#holdCovering}): an
 *                            environment under a hold, or with a member under one, cannot be deleted
 * @param closingEndsAt       when a {@link EnvironmentState#CLOSING} environment becomes
 *                            {@link EnvironmentState#CLOSED}, otherwise {@code null}
 * @param surfaces            the communication surfaces it offers
 */
public record Environment(String id, String name, String serverId, String regionLabel,
        EnvironmentState state, Instant createdAt, VisibilityRules visibility, int contentLifetimeDays,
        EnrollmentTrust newDeviceTrust, boolean legalHold, Instant closingEndsAt, Set<Surface> surfaces) {

    public Environment {
        surfaces = Set.copyOf(surfaces);
    }

    public static final int MAX_CONTENT_LIFETIME_DAYS = 30;
}
