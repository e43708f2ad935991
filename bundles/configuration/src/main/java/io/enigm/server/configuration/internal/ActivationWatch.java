package io.enigm.server.configuration.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Watches the components a PID configures as they take up a new configuration: only a component
 * configuration that carries the new settings is judged, so an earlier failure is never taken for
 * this change's. A component whose activation with them failed refused them, with the reason its
 * code gave (the constraints a metatype cannot say, such as one setting bounded by another); a
 * delayed component that nobody asked for since the change is asked for once, so that it shows
 * whether it activates. The watch ends as soon as every component has taken the settings up.
 */
final class ActivationWatch {

    /** How a watch ended. */
    sealed interface Outcome {
    }

    /** Every component configured by the PID took the settings up, or none carried them in time. */
    record TakenUp() implements Outcome {
    }

    /** A newer configuration replaced the watched one before it was judged. */
    record Superseded() implements Outcome {
    }

    /** A component refused the settings. */
    record Refused(String reason) implements Outcome {
    }

    private static final int MAX_REASON = 300;
    private final BundleContext context;
    private final ServiceComponentRuntime components;

    ActivationWatch(BundleContext context, ServiceComponentRuntime components) {
        this.context = context;
        this.components = components;
    }

    /** Watches {@code pid}'s components take up {@code settings} for at most {@code within}, while {@code current}. */
    Outcome watch(String pid, Map<String, Object> settings, Duration within, BooleanSupplier current)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        // by component configuration: one may carry the settings only after others were judged
        Set<Long> asked = new HashSet<>();
        while (System.nanoTime() < deadline) {
            if (!current.getAsBoolean()) {
                return new Superseded();
            }
            boolean allTakenUp = true;
            for (ComponentDescriptionDTO description : components.getComponentDescriptionDTOs()) {
                if (!Arrays.asList(description.configurationPid).contains(pid)) {
                    continue;
                }
                for (ComponentConfigurationDTO configuration : components.getComponentConfigurationDTOs(description)) {
                    if (!carries(configuration.properties, settings)) {
                        allTakenUp = false;
                    } else if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        return new Refused(description.name + ": " + reason(configuration.failure));
                    } else if (configuration.state == ComponentConfigurationDTO.SATISFIED
                            && asked.add(configuration.id)) {
                        // delayed and not asked for since it carries the settings: ask once, then judge again
                        activate(configuration.id);
                        allTakenUp = false;
                    }
                }
            }
            if (allTakenUp) {
                return new TakenUp();
            }
            Thread.sleep(50);
        }
        return new TakenUp();
    }

    /** Whether a component configuration's properties hold every one of {@code settings}. */
    private static boolean carries(Map<String, Object> properties, Map<String, Object> settings) {
        Map<String, Object> carried = Settings.of(new java.util.Hashtable<>(properties));
        return settings.entrySet().stream().allMatch(setting -> setting.getValue().equals(carried.get(setting.getKey())));
    }

    /** Gets and releases the services of a delayed component configuration, which activates it. */
    private void activate(long componentId) {
        try {
            ServiceReference<?>[] services = context.getAllServiceReferences(null,
                    "(" + ComponentConstants.COMPONENT_ID + "=" + componentId + ")");
            for (ServiceReference<?> service : services == null ? new ServiceReference<?>[0] : services) {
                if (context.getService(service) != null) {
                    context.ungetService(service);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the component said: the innermost cause of the failure's stack trace (a constructor's
     * exception arrives wrapped), without its exception's class name.
     */
    static String reason(String failure) {
        if (failure == null || failure.isBlank()) {
            return "its activation failed";
        }
        String first = failure.strip().lines().filter(line -> line.startsWith("Caused by: "))
                .reduce((earlier, later) -> later).map(line -> line.substring("Caused by: ".length()))
                .orElse(failure.strip().lines().findFirst().orElse(""));
        int colon = first.indexOf(": ");
        String said = colon > 0 && first.substring(0, colon).matches("[\\w.$]+") ? first.substring(colon + 2) : first;
        return said.length() > MAX_REASON ? said.substring(0, MAX_REASON) + "…" : said;
    }
}
