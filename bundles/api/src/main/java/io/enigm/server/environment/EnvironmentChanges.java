package io.enigm.server.environment;

/**
 * A partial update: {@code null} fields are left as they are.
 *
 * @param name                new display name
 * @param regionLabel         new region label
 * @param visibility          new visibility rules
 * @param contentLifetimeDays new content lifetime, 1 to {@link Environment#MAX_CONTENT_LIFETIME_DAYS}
 * @param newDeviceTrust      the trust state new devices start in
 */
public record EnvironmentChanges(String name, String regionLabel, VisibilityRules visibility,
        Integer contentLifetimeDays, EnrollmentTrust newDeviceTrust) {
}
