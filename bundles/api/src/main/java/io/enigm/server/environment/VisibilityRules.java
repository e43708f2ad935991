package io.enigm.server.environment;

/**
 * What members of an environment may see of each other.
 *
 * @param memberDirectory members may list the environment's other members (by handle)
 * @param displayNames    members' chosen display names are shown to other members
 */
public record VisibilityRules(boolean memberDirectory, boolean displayNames) {

    /** Nothing visible beyond what messaging itself needs. */
    public static final VisibilityRules PRIVATE = new VisibilityRules(false, false);
}
