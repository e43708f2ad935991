package io.enigm.server.environment.internal;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.environment.DefensiveResponse;

/** The rules a defensive-response setting must meet before it is stored. */
final class DefensiveResponseRules {

    private static final String FIELD = "defensiveResponse";

    private DefensiveResponseRules() {
    }

    /** @throws InvalidRequestException naming the field, for a count or window out of range; {@code null} passes */
    static void requireValid(DefensiveResponse response) {
        if (response == null) {
            return;
        }
        int failures = response.failures();
        if (failures != 0 && (failures < DefensiveResponse.MIN_FAILURES || failures > DefensiveResponse.MAX_FAILURES)) {
            throw new InvalidRequestException(FIELD + ".failures", "must be 0 (off) or from "
                    + DefensiveResponse.MIN_FAILURES + " to " + DefensiveResponse.MAX_FAILURES);
        }
        int window = response.windowSeconds();
        if (window < DefensiveResponse.MIN_WINDOW_SECONDS || window > DefensiveResponse.MAX_WINDOW_SECONDS) {
            throw new InvalidRequestException(FIELD + ".windowSeconds", "must be from "
                    + DefensiveResponse.MIN_WINDOW_SECONDS + " to " + DefensiveResponse.MAX_WINDOW_SECONDS);
        }
    }
}
