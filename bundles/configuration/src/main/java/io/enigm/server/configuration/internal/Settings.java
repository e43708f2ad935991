package io.enigm.server.configuration.internal;

import java.lang.reflect.Array;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A configuration's settings as a map that compares by value (arrays as lists), without the
 * book-keeping ConfigAdmin and FileInstall add; and back into properties to update with.
 */
final class Settings {

    private static final Set<String> BOOK_KEEPING = Set.of(Constants.SERVICE_PID,
            ConfigurationAdmin.SERVICE_FACTORYPID, ConfigurationAdmin.SERVICE_BUNDLELOCATION);

    private Settings() {
    }

    /** Whether ConfigAdmin, FileInstall or Declarative Services put {@code key} there, not an operator. */
    static boolean isBookKeeping(String key) {
        return BOOK_KEEPING.contains(key) || key.startsWith("felix.fileinstall.") || key.startsWith("component.");
    }

    static Map<String, Object> of(Dictionary<String, Object> properties) {
        Map<String, Object> settings = new TreeMap<>();
        if (properties != null) {
            for (String key : Collections.list(properties.keys())) {
                if (!isBookKeeping(key)) {
                    settings.put(key, comparable(properties.get(key)));
                }
            }
        }
        return settings;
    }

    /** Properties to update a configuration with; lists become arrays of their elements' type again. */
    static Dictionary<String, Object> dictionary(Map<String, Object> settings) {
        Hashtable<String, Object> properties = new Hashtable<>();
        settings.forEach((key, value) -> properties.put(key, value instanceof ArrayOf array ? array.toArray() : value));
        return properties;
    }

    private static Object comparable(Object value) {
        if (value != null && value.getClass().isArray()) {
            return new ArrayOf(value.getClass().getComponentType(),
                    IntStream.range(0, Array.getLength(value)).mapToObj(i -> Array.get(value, i)).toList());
        }
        return value;
    }

    /** An array's elements, compared as a list, and its element type to make it an array again. */
    record ArrayOf(Class<?> type, List<Object> elements) {

        Object toArray() {
            Object array = Array.newInstance(type, elements.size());
            for (int i = 0; i < elements.size(); i++) {
                Array.set(array, i, elements.get(i));
            }
            return array;
        }
    }
}
