package io.enigm.server.attestation.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Each provider type's time budget for evaluations (the configured default unless overridden for
 * that type), and the one budget of administrators' operations and callbacks, which no device waits
 * for and which no longer hold the database's writer.
 */
record Budgets(Duration defaultBudget, Map<String, Duration> byType, Duration operation) {

    private static final int MAX_MILLIS = 10_000;

    Budgets {
        byType = Map.copyOf(byType);
    }

    Duration of(String type) {
        return byType.getOrDefault(type, defaultBudget);
    }

    /** Parses the configuration, refusing anything out of range so a typo never means "no budget". */
    static Budgets from(AttestationConfiguration configuration) {
        Duration defaultBudget = millis("defaultBudgetMillis", configuration.defaultBudgetMillis());
        Map<String, Duration> overrides = new HashMap<>();
        for (String entry : configuration.budgetOverrides()) {
            int equals = entry.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("budgetOverrides entries must be type=milliseconds, not '"
                        + entry + "'");
            }
            String type = entry.substring(0, equals).strip();
            try {
                overrides.put(type, millis("budgetOverrides " + type,
                        Integer.parseInt(entry.substring(equals + 1).strip())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("budgetOverrides " + type + " must be a whole number of ms");
            }
        }
        return new Budgets(defaultBudget, overrides,
                millis("operationBudgetMillis", configuration.operationBudgetMillis()));
    }

    private static Duration millis(String name, int value) {
        if (value < 1 || value > MAX_MILLIS) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAX_MILLIS + " ms, not " + value);
        }
        return Duration.ofMillis(value);
    }
}
