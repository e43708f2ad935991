package io.enigm.server.store.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Builds DS components for other bundles' unit tests through their public activation
 * constructors, as Declarative Services would: services from a map, configurations at their
 * metatype defaults unless a value is given. A component that records meters gets a registry of its
 * own unless the map gives one.
 */
public final class TestComponents {

    private TestComponents() {
    }

    public static <T> T activate(Class<T> type, Map<Class<?>, Object> services) {
        return activate(type, services, Map.of());
    }

    /** As {@link #activate(Class, Map)}, with {@code configuration} values for its configuration annotation. */
    @SuppressWarnings("unchecked")
    public static <T> T activate(Class<T> type, Map<Class<?>, Object> services, Map<String, Object> configuration) {
        Constructor<?> constructor = Arrays.stream(type.getConstructors())
                .filter(candidate -> Modifier.isPublic(candidate.getModifiers()))
                .findFirst().orElseThrow();
        Object[] arguments = Arrays.stream(constructor.getParameterTypes())
                .map(parameter -> parameter.isAnnotation() ? configuration(parameter, configuration)
                        : parameter == MeterRegistry.class && !services.containsKey(parameter)
                                ? new SimpleMeterRegistry()
                        : Optional.ofNullable(services.get(parameter))
                                .orElseThrow(() -> new IllegalStateException("no " + parameter.getName() + " for " + type)))
                .toArray();
        try {
            return (T) constructor.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A configuration annotation: the given values, every other attribute at its metatype default. */
    @SuppressWarnings("unchecked")
    public static <A> A configuration(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            throw new IllegalStateException(type.getName() + "." + method.getName() + " has no default");
        });
    }
}
