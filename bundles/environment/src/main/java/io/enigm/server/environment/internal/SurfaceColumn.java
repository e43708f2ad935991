package io.enigm.server.environment.internal;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.enigm.server.environment.Surface;

/** The environment's surfaces as one column: their names, comma-separated, in declaration order. */
final class SurfaceColumn {

    private SurfaceColumn() {
    }

    static String text(Set<Surface> surfaces) {
        return surfaces.isEmpty() ? "" : EnumSet.copyOf(surfaces).stream().map(Enum::name)
                .collect(Collectors.joining(","));
    }

    static Set<Surface> parse(String text) {
        return text.isEmpty() ? Set.of() : Arrays.stream(text.split(",")).map(Surface::valueOf)
                .collect(Collectors.toUnmodifiableSet());
    }
}
