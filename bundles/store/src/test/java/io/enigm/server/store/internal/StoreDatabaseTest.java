package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.enigm.server.store.Database;

/**
 * The component other bundles get passes every call of the contract to its engine: a method the
 * component left to the contract's default would silently skip what the engine does instead (a
 * transaction beside the writer's, on PostgreSQL, went through the writer that way).
 */
class StoreDatabaseTest {

    @Test
    void everyMethodOfTheContractDefaultOnesIncludedIsPassedToTheEngine() throws Exception {
        List<String> inherited = Arrays.stream(Database.class.getMethods())
                .filter(method -> !Modifier.isStatic(method.getModifiers()))
                .filter(method -> declaringClass(method) != StoreDatabase.class)
                .map(Method::getName).toList();
        assertEquals(List.of(), inherited);
    }

    private static Class<?> declaringClass(Method method) {
        try {
            return StoreDatabase.class.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
