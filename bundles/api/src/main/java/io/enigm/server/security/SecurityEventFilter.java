package io.enigm.server.security;

/**
 * Which security events to list; {@code null} fields do not narrow.
 *
 * @param risk          only events of this risk class
 * @param category      only events of this category
 * @param group         only events of a category in this group
 * @param environmentId only events of this environment (the installation-wide list only)
 */
public record SecurityEventFilter(RiskClass risk, SecurityEventCategory category, SecurityEventGroup group,
        String environmentId) {

    /** Every event. */
    public static final SecurityEventFilter ALL = new SecurityEventFilter(null, null, null, null);

    /** Whether an event of {@code candidate} passes the risk, category and group conditions. */
    public boolean admits(SecurityEventCategory candidate) {
        return (risk == null || candidate.risk() == risk) && (category == null || candidate == category)
                && (group == null || candidate.group() == group);
    }
}
