package io.enigm.server.environment;

import java.util.Set;

/**
 * A partial update: {@code null} fields are left as they are.
 *
 * @param name                new display name
 * @param regionLabel         new region label
 * @param visibility          new visibility rules
 * @param contentLifetimeDays new content lifetime, 1 to {@link Environment#MAX_CONTENT_LIFETIME_DAYS}
 * @param newDeviceTrust      the trust state new devices start in
 * @param surfaces            the communication surfaces it offers, replaced as a whole
 * @param defensiveResponse   when devices are restricted automatically, replaced as a whole
 */
public record EnvironmentChanges(String name, String regionLabel, VisibilityRules visibility,
        Integer contentLifetimeDays, EnrollmentTrust newDeviceTrust, Set<Surface> surfaces,
        DefensiveResponse defensiveResponse) {

    /** A change that leaves the defensive response as it is. */
    public EnvironmentChanges(String name, String regionLabel, VisibilityRules visibility,
            Integer contentLifetimeDays, EnrollmentTrust newDeviceTrust, Set<Surface> surfaces) {
        this(name, regionLabel, visibility, contentLifetimeDays, newDeviceTrust, surfaces, null);
    }

    /** A change that leaves the surfaces as they are. */
    public EnvironmentChanges(String name, String regionLabel, VisibilityRules visibility,
            Integer contentLifetimeDays, EnrollmentTrust newDeviceTrust) {
        this(name, regionLabel, visibility, contentLifetimeDays, newDeviceTrust, null, null);
    }
}
