package io.enigm.server.http.internal;

import java.util.regex.Pattern;

import io.enigm.server.security.RiskClass;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventFilter;
import io.enigm.server.security.SecurityEventGroup;

/**
 * The query parameters that narrow a list of security events: {@code class} (a risk class),
 * {@code category} (a category, or a group of categories) and, installation-wide, {@code environment}.
 * A value that names nothing is a 400, never an empty list that looks like a quiet installation.
 */
final class SecurityEventFilters {

    private static final Pattern ENVIRONMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private SecurityEventFilters() {
    }

    /** The filters of one environment's list. */
    static SecurityEventFilter ofEnvironment(Call call) {
        return filter(call, null);
    }

    /** The filters of the installation-wide list, {@code environment} among them. */
    static SecurityEventFilter ofInstallation(Call call) {
        String environment = call.query("environment");
        if (environment != null && !ENVIRONMENT_ID.matcher(environment).matches()) {
            throw ApiProblem.badRequest("invalid-parameter", "environment must be an environment id");
        }
        return filter(call, environment);
    }

    private static SecurityEventFilter filter(Call call, String environmentId) {
        RiskClass risk = named(RiskClass.class, "class", call.query("class"));
        String category = call.query("category");
        if (category == null) {
            return new SecurityEventFilter(risk, null, null, environmentId);
        }
        for (SecurityEventGroup group : SecurityEventGroup.values()) {
            if (group.name().equals(category)) {
                return new SecurityEventFilter(risk, null, group, environmentId);
            }
        }
        return new SecurityEventFilter(risk, named(SecurityEventCategory.class, "category", category), null,
                environmentId);
    }

    private static <E extends Enum<E>> E named(Class<E> type, String parameter, String value) {
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw ApiProblem.badRequest("invalid-parameter", parameter + " must be one of the documented names"
                + (parameter.equals("category") ? " (a category or a group)" : " (LOW, MEDIUM, HIGH, CRITICAL)"));
    }
}
