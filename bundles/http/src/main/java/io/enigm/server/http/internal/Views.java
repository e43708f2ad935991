package io.enigm.server.http.internal;

import java.util.List;
import java.util.function.Function;

import io.enigm.server.common.Page;
import io.enigm.server.environment.DefensiveResponse;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.VisibilityRules;

/** The JSON shapes of answers; field names are the API's, independent of the domain records. */
final class Views {

    private Views() {
    }

    record EnvironmentView(String id, String name, String serverId, String regionLabel, String state,
            String createdAt, VisibilityRules visibility, int contentLifetimeDays, String newDeviceTrust,
            boolean legalHold, String closingEndsAt, List<String> surfaces, DefensiveResponse defensiveResponse) {

        static EnvironmentView of(Environment environment) {
            return new EnvironmentView(environment.id(), environment.name(), environment.serverId(),
                    environment.regionLabel(), environment.state().name(), environment.createdAt().toString(),
                    environment.visibility(), environment.contentLifetimeDays(), environment.newDeviceTrust().name(),
                    environment.legalHold(),
                    environment.closingEndsAt() == null ? null : environment.closingEndsAt().toString(),
                    environment.surfaces().stream().sorted().map(Enum::name).toList(), environment.defensiveResponse());
        }
    }

    record PageView<T>(List<T> items, String next) {

        static <S, T> PageView<T> of(Page<S> page, Function<S, T> view) {
            return new PageView<>(page.items().stream().map(view).toList(), page.next());
        }
    }

    record Health(String status, String version) {
    }
}
