package io.enigm.server.configuration.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void settingsCompareByValueWithoutBookKeepingAndBecomePropertiesAgain() {
        Hashtable<String, Object> first = new Hashtable<>(Map.of("service.pid", "io.enigm.server.x", "urls",
                new String[] {"http://a", "http://b"}, "limit", 5));
        Hashtable<String, Object> same = new Hashtable<>(Map.of("urls", new String[] {"http://a", "http://b"},
                "limit", 5));
        Hashtable<String, Object> other = new Hashtable<>(Map.of("urls", new String[] {"http://a"}, "limit", 5));

        assertEquals(Settings.of(first), Settings.of(same), "arrays by their elements; the PID is book-keeping");
        assertNotEquals(Settings.of(first), Settings.of(other));
        var properties = Settings.dictionary(Settings.of(first));
        assertArrayEquals(new String[] {"http://a", "http://b"}, (String[]) properties.get("urls"));
        assertEquals(5, properties.get("limit"));
        assertEquals(null, properties.get("service.pid"));
    }

    @Test
    void aRefusalIsWhatTheComponentSaidNotItsWrapper() {
        String trace = "java.lang.reflect.InvocationTargetException\n\tat x.y(Z.java:1)\n"
                + "Caused by: java.lang.IllegalArgumentException: io.enigm.server.health: criticalFreeMegabytes must"
                + " be at least 1\n\tat a.b(C.java:2)\n";
        assertEquals("io.enigm.server.health: criticalFreeMegabytes must be at least 1", ActivationWatch.reason(trace));
        assertEquals("limit must be positive", ActivationWatch.reason(
                "java.lang.IllegalArgumentException: limit must be positive\n\tat a.b(C.java:2)"));
        assertEquals("its activation failed", ActivationWatch.reason(null));
    }
}
