package io.enigm.server.environment.internal;

import io.enigm.server.common.ConflictException;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.environment.LifecycleAction;

/**
 * The environment state machine (DESIGN §3): {@code ACTIVE → SUSPENDED ↔ ACTIVE},
 * {@code ACTIVE|SUSPENDED → CLOSING → CLOSED → DELETED}. {@code CLOSING → CLOSED} is no action: the
 * grace period's end makes it.
 */
final class Lifecycle {

    private Lifecycle() {
    }

    /**
     * The state {@code action} leads to from {@code current}.
     *
     * @throws ConflictException naming the current state if the action is not allowed from it
     */
    static EnvironmentState next(EnvironmentState current, LifecycleAction action) {
        EnvironmentState next = switch (action) {
            case SUSPEND -> current == EnvironmentState.ACTIVE ? EnvironmentState.SUSPENDED : null;
            case RESUME -> current == EnvironmentState.SUSPENDED ? EnvironmentState.ACTIVE : null;
            case CLOSE -> current == EnvironmentState.ACTIVE || current == EnvironmentState.SUSPENDED
                    ? EnvironmentState.CLOSING : null;
            case DELETE -> current == EnvironmentState.CLOSED ? EnvironmentState.DELETED : null;
        };
        if (next == null) {
            throw new ConflictException("the environment is " + current + "; "
                    + action.name().toLowerCase(java.util.Locale.ROOT) + " is not allowed from that state");
        }
        return next;
    }

    /** A configured ISO-8601 duration, which must be positive. */
    static java.time.Duration positiveDuration(String attribute, String value) {
        java.time.Duration duration;
        try {
            duration = java.time.Duration.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(attribute + " is not an ISO-8601 duration such as P7D or PT1M");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(attribute + " must be positive");
        }
        return duration;
    }
}
