package io.enigm.server.http.internal;

import java.util.List;
import java.util.function.Function;

import io.enigm.server.common.Page;
import io.enigm.server.environment.Environment;

/** The JSON shapes of answers; field names are the API's, independent of the domain records. */
final class Views {

    private Views() {
    }

    record EnvironmentView(String id, String name, String serverId, String regionLabel, String state,
            String createdAt) {

        static EnvironmentView of(Environment environment) {
            return new EnvironmentView(environment.id(), environment.name(), environment.serverId(),
                    environment.regionLabel(), environment.state().name(), environment.createdAt().toString());
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
