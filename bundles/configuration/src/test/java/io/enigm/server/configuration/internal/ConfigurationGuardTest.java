package io.enigm.server.configuration.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The guard's roll-back against ConfigAdmin, its metatype and the log: whoever reacts to a refusal in
 * the log must find the roll-back already done, or a corrected file written at once is overwritten by
 * it (the race a loaded machine showed: the corrected configuration was never applied).
 */
class ConfigurationGuardTest {

    private static final String PID = "io.enigm.server.example";

    /** One configuration of {@link #PID} in a ConfigAdmin that counts its changes. */
    private static final class OneConfiguration {
        volatile Dictionary<String, Object> properties;
        final AtomicInteger changes = new AtomicInteger(1);

        OneConfiguration(int limit) {
            properties = settings(limit);
        }

        Configuration configuration() {
            return proxy(Configuration.class, (method, args) -> switch (method) {
                case "getPid" -> PID;
                case "getProperties" -> properties;
                case "getChangeCount" -> (long) changes.get();
                case "update" -> {
                    @SuppressWarnings("unchecked")
                    Dictionary<String, Object> updated = (Dictionary<String, Object>) args[0];
                    properties = updated;
                    changes.incrementAndGet();
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method);
            });
        }

        ConfigurationAdmin admin() {
            return proxy(ConfigurationAdmin.class, (method, args) -> switch (method) {
                case "listConfigurations" -> new Configuration[] {configuration()};
                default -> throw new UnsupportedOperationException(method);
            });
        }
    }

    private static Dictionary<String, Object> settings(int limit) {
        Hashtable<String, Object> settings = new Hashtable<>();
        settings.put("limit", limit);
        return settings;
    }

    /** A metatype for {@link #PID} whose one setting, {@code limit}, is at most 100. */
    private static MetaTypeService metatype() {
        AttributeDefinition limit = proxy(AttributeDefinition.class, (method, args) -> switch (method) {
            case "getID" -> "limit";
            case "getName" -> "Limit";
            case "validate" -> Integer.parseInt((String) args[0]) > 100 ? "greater than maximum" : "";
            default -> throw new UnsupportedOperationException(method);
        });
        ObjectClassDefinition definition = proxy(ObjectClassDefinition.class, (method, args) -> switch (method) {
            case "getAttributeDefinitions" -> new AttributeDefinition[] {limit};
            default -> throw new UnsupportedOperationException(method);
        });
        MetaTypeInformation information = proxy(MetaTypeInformation.class, (method, args) -> switch (method) {
            case "getPids" -> new String[] {PID};
            case "getObjectClassDefinition" -> definition;
            default -> throw new UnsupportedOperationException(method);
        });
        return proxy(MetaTypeService.class, (method, args) -> information);
    }

    @FunctionalInterface
    private interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(ConfigurationGuardTest.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.answer(method.getName(), args));
    }

    @Test
    void aRefusalIsSaidOnlyOnceTheRollBackIsDone() throws Exception {
        OneConfiguration stored = new OneConfiguration(5);
        Bundle bundle = proxy(Bundle.class, (method, args) -> {
            throw new UnsupportedOperationException(method);
        });
        BundleContext context = proxy(BundleContext.class, (method, args) -> switch (method) {
            case "getBundles" -> new Bundle[] {bundle};
            default -> throw new UnsupportedOperationException(method);
        });
        ServiceComponentRuntime components = proxy(ServiceComponentRuntime.class, (method, args) -> List.of());
        ConfigurationGuard guard = new ConfigurationGuard(context, stored.admin(), metatype(), components);

        // what the stored configuration held each time the log said it refused one
        List<Object> heldWhenSaid = new CopyOnWriteArrayList<>();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream() {
            @Override
            public synchronized void flush() {
                if (toString(StandardCharsets.UTF_8).contains("Refused the configuration of " + PID)) {
                    heldWhenSaid.add(stored.properties.get("limit"));
                }
                reset();
            }
        }, true, StandardCharsets.UTF_8));
        try {
            stored.properties = settings(500);
            stored.changes.incrementAndGet();
            guard.configurationEvent(new ConfigurationEvent(proxy(ServiceReference.class, (method, args) -> null),
                    ConfigurationEvent.CM_UPDATED, null, PID));
            for (int looks = 0; looks < 200 && heldWhenSaid.isEmpty(); looks++) {
                Thread.sleep(25);
            }
        } finally {
            System.setErr(err);
            guard.stop();
        }
        assertEquals(List.of(5), heldWhenSaid, "said once, with the configuration before it already back");
        assertEquals(3, stored.changes.get(), "one roll-back");
    }
}
