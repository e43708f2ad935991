package io.enigm.server.policy;

import java.util.List;

/**
 * A hypothetical decision with what decided it, for policy administrators only.
 *
 * @param decision          the decision the request would get
 * @param matchedRules      ids of the rules that applied to the request
 * @param reportOnlyDenials ids of report-only rules that would have denied it
 */
public record Simulation(Decision decision, List<String> matchedRules, List<String> reportOnlyDenials) {
}
