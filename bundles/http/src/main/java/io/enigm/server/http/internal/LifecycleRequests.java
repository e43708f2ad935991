package io.enigm.server.http.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.environment.DefensiveResponse;
import io.enigm.server.environment.EnrollmentTrust;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.environment.Surface;
import io.enigm.server.environment.VisibilityRules;

/**
 * Request bodies of environment settings, lifecycle and the PIN. Enumerations arrive as text so
 * that an unknown value is a 422 naming the field, not a type error.
 */
final class LifecycleRequests {

    private LifecycleRequests() {
    }

    /** {@code PATCH /environments/{env}}: absent fields stay as they are. */
    record ChangeEnvironment(String name, String regionLabel, Visibility visibility, Integer contentLifetimeDays,
            String newDeviceTrust, List<String> surfaces, Defence defensiveResponse) {

        EnvironmentChanges changes() {
            return new EnvironmentChanges(name, regionLabel, visibility == null ? null : visibility.rules(),
                    contentLifetimeDays, newDeviceTrust == null ? null : trust(newDeviceTrust),
                    surfaces == null ? null : surfaces(surfaces),
                    defensiveResponse == null ? null : defensiveResponse.response());
        }

        private static Set<Surface> surfaces(List<String> names) {
            Set<Surface> surfaces = EnumSet.noneOf(Surface.class);
            for (String name : names) {
                surfaces.add(ContentRoutes.surface("surfaces", name));
            }
            return surfaces;
        }

        private static EnrollmentTrust trust(String value) {
            for (EnrollmentTrust trust : EnrollmentTrust.values()) {
                if (trust.name().equals(value)) {
                    return trust;
                }
            }
            throw new InvalidRequestException("newDeviceTrust", "must be PENDING or TRUSTED");
        }
    }

    /** The defensive response is replaced as a whole, so both fields are required; the service checks their ranges. */
    record Defence(Integer failures, Integer windowSeconds) {

        DefensiveResponse response() {
            if (failures == null) {
                throw new InvalidRequestException("defensiveResponse.failures", "is required");
            }
            if (windowSeconds == null) {
                throw new InvalidRequestException("defensiveResponse.windowSeconds", "is required");
            }
            return new DefensiveResponse(failures, windowSeconds);
        }
    }

    /** Visibility is replaced as a whole, so both rules are required. */
    record Visibility(Boolean memberDirectory, Boolean displayNames) {

        VisibilityRules rules() {
            if (memberDirectory == null) {
                throw new InvalidRequestException("visibility.memberDirectory", "is required");
            }
            if (displayNames == null) {
                throw new InvalidRequestException("visibility.displayNames", "is required");
            }
            return new VisibilityRules(memberDirectory, displayNames);
        }
    }

    /** {@code POST /environments/{env}/lifecycle}. */
    record ChangeLifecycle(String action) {

        LifecycleAction lifecycleAction() {
            if (action == null) {
                throw new InvalidRequestException("action", "is required");
            }
            for (LifecycleAction candidate : LifecycleAction.values()) {
                if (candidate.name().toLowerCase(Locale.ROOT).equals(action)) {
                    return candidate;
                }
            }
            throw new InvalidRequestException("action", "must be suspend, resume, close or delete");
        }
    }

    /** {@code PUT /pin}. */
    record SetPin(String pin, String currentPin) {
    }
}
