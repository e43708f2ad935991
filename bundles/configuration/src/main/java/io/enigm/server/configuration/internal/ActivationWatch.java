package io.enigm.server.configuration.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Watches the components a PID configures as they take up a new configuration, and reports the
 * first that refused it: a component whose activation failed, with the reason its code gave (the
 * constraints a metatype cannot say, such as one setting bounded by another). A delayed component
 * that nobody asked for since the change is asked for here, so that it shows whether it activates.
 */
final class ActivationWatch {

    private static final int MAX_REASON = 300;
    private final BundleContext context;
    private final ServiceComponentRuntime components;

    ActivationWatch(BundleContext context, ServiceComponentRuntime components) {
        this.context = context;
        this.components = components;
    }

    /**
     * The reason a component of {@code pid} refused its configuration within {@code within}, if one
     * did while the configuration was {@code current}: a newer one ends the watch, and is watched
     * for itself.
     */
    Optional<String> refusal(String pid, Duration within, BooleanSupplier current) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            if (!current.getAsBoolean()) {
                return Optional.empty();
            }
            Optional<String> refused = refusal(pid);
            if (refused.isPresent()) {
                return refused;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private Optional<String> refusal(String pid) {
        for (ComponentDescriptionDTO description : components.getComponentDescriptionDTOs()) {
            if (!Arrays.asList(description.configurationPid).contains(pid)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : components.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.SATISFIED) {
                    activate(configuration.id);
                } else if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    return Optional.of(description.name + ": " + reason(configuration.failure));
                }
            }
        }
        return Optional.empty();
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
