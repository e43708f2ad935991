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
 * @param defensiveResponse   when devices are restricted automatically, {@link DefensiveResponse#OFF} by default
 */
public record Environment(String id, String name, String serverId, String regionLabel,
        EnvironmentState state, Instant createdAt, VisibilityRules visibility, int contentLifetimeDays,
        EnrollmentTrust newDeviceTrust, boolean legalHold, Instant closingEndsAt, Set<Surface> surfaces,
        DefensiveResponse defensiveResponse) {

    public Environment {
        surfaces = Set.copyOf(surfaces);
        defensiveResponse = defensiveResponse == null ? DefensiveResponse.OFF : defensiveResponse;
    }

    /** An environment without a defensive response. */
    public Environment(String id, String name, String serverId, String regionLabel, EnvironmentState state,
            Instant createdAt, VisibilityRules visibility, int contentLifetimeDays, EnrollmentTrust newDeviceTrust,
            boolean legalHold, Instant closingEndsAt, Set<Surface> surfaces) {
        this(id, name, serverId, regionLabel, state, createdAt, visibility, contentLifetimeDays, newDeviceTrust,
                legalHold, closingEndsAt, surfaces, DefensiveResponse.OFF);
    }

    public static final int MAX_CONTENT_LIFETIME_DAYS = 30;
}
