package io.enigm.server.configuration.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A delayed component that SCR hands the new settings only after the watch has looked once: the
 * slow machine's case, where the component still carried the old settings at the first look.
 */
class ActivationWatchTest {

    private static final String PID = "io.enigm.server.example";
    private static final Map<String, Object> NEW_SETTINGS = Map.of("limit", 0);

    /** One component configuration of {@link #PID}, as SCR reports it look after look. */
    private static final class LateComponent {
        final AtomicInteger looks = new AtomicInteger();
        final AtomicInteger asked = new AtomicInteger();
        final boolean activationFails;

        LateComponent(boolean activationFails) {
            this.activationFails = activationFails;
        }

        ComponentConfigurationDTO now() {
            ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
            configuration.id = 7;
            if (looks.get() <= 1) {
                configuration.state = ComponentConfigurationDTO.ACTIVE;
                configuration.properties = Map.of("limit", 5);
                return configuration;
            }
            configuration.properties = NEW_SETTINGS;
            if (asked.get() > 0 && activationFails) {
                configuration.state = ComponentConfigurationDTO.FAILED_ACTIVATION;
                configuration.failure = "java.lang.IllegalArgumentException: limit must be positive\n\tat a.B.c(B.java:1)";
            } else {
                // delayed: satisfied, and deactivated again once its service was given back
                configuration.state = ComponentConfigurationDTO.SATISFIED;
            }
            return configuration;
        }

        ServiceComponentRuntime runtime() {
            ComponentDescriptionDTO description = new ComponentDescriptionDTO();
            description.name = "example.Component";
            description.configurationPid = new String[] {PID};
            return proxy(ServiceComponentRuntime.class, (method, args) -> switch (method) {
                case "getComponentDescriptionDTOs" -> {
                    looks.incrementAndGet();
                    yield List.of(description);
                }
                case "getComponentConfigurationDTOs" -> List.of(now());
                default -> throw new UnsupportedOperationException(method);
            });
        }

        BundleContext context() {
            ServiceReference<?> service = proxy(ServiceReference.class, (method, args) -> {
                throw new UnsupportedOperationException(method);
            });
            return proxy(BundleContext.class, (method, args) -> switch (method) {
                case "getAllServiceReferences" -> new ServiceReference<?>[] {service};
                case "getService" -> {
                    asked.incrementAndGet();
                    yield activationFails ? null : new Object();
                }
                case "ungetService" -> true;
                default -> throw new UnsupportedOperationException(method);
            });
        }
    }

    @FunctionalInterface
    private interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(ActivationWatchTest.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> answer.answer(method.getName(), args));
    }

    private static ActivationWatch.Outcome watch(LateComponent component) throws InterruptedException {
        return new ActivationWatch(component.context(), component.runtime()).watch(PID, NEW_SETTINGS,
                Duration.ofSeconds(10), () -> true);
    }

    @Test
    void aDelayedComponentThatGetsTheSettingsLateIsAskedAndItsRefusalSeen() throws InterruptedException {
        LateComponent component = new LateComponent(true);
        ActivationWatch.Outcome outcome = watch(component);
        ActivationWatch.Refused refused = assertInstanceOf(ActivationWatch.Refused.class, outcome);
        assertEquals("example.Component: limit must be positive", refused.reason());
        assertEquals(1, component.asked.get());
    }

    @Test
    void aDelayedComponentThatActivatesWithTheLateSettingsIsAskedOnceAndTakesThemUp() throws InterruptedException {
        LateComponent component = new LateComponent(false);
        assertInstanceOf(ActivationWatch.TakenUp.class, watch(component));
        assertEquals(1, component.asked.get(), "asked once, not at every look");
    }
}
