package io.enigm.server.configuration.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.MetaTypeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.support.threads.DaemonThreads;

/**
 * Keeps the server's bundles on a configuration that works. Whoever changes one of their
 * configurations (the console, a file in {@code conf/}, a script through ConfigAdmin), the change is
 * checked against its metatype, then watched while the components it configures take it up; a
 * value the metatype does not allow, or one a component refuses when it activates, is rolled back
 * to the last configuration that worked (or to the defaults, if there was none), and the log says
 * which key and why — never the value, which may be a secret. A change that passes becomes the
 * configuration to return to.
 */
@Component(immediate = true)
public class ConfigurationGuard implements ConfigurationListener {

    /** The server's own PIDs; other bundles' configurations are theirs to check. */
    static final String GUARDED = "io.enigm.server.";
    /**
     * How long components may take to carry a change before it is judged taken up. The watch ends as
     * soon as they carry it; on a loaded machine SCR reconfigured them only after more than 3 s, and a
     * shorter watch then accepted a change a component refused moments later.
     */
    private static final Duration ACTIVATION_WATCH = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationGuard.class);

    private final ConfigurationAdmin admin;
    private final MetatypeCheck metatype;
    private final ActivationWatch activations;
    private final Map<String, Map<String, Object>> lastGood = new ConcurrentHashMap<>();
    private final ExecutorService checks = DaemonThreads.scheduler("enigm-configuration-guard");

    @Activate
    public ConfigurationGuard(BundleContext context, @Reference ConfigurationAdmin admin,
            @Reference MetaTypeService metatype, @Reference ServiceComponentRuntime components) {
        this.admin = admin;
        this.metatype = new MetatypeCheck(context, metatype);
        this.activations = new ActivationWatch(context, components);
        for (Configuration configuration : guarded(null)) {
            lastGood.put(configuration.getPid(), Settings.of(configuration.getProperties()));
        }
    }

    @Deactivate
    void stop() {
        checks.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getFactoryPid() != null || !event.getPid().startsWith(GUARDED)) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            // back to the defaults, which every component accepts
            lastGood.remove(event.getPid());
        } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            checks.execute(() -> check(event.getPid()));
        }
    }

    private void check(String pid) {
        Configuration[] found = guarded(pid);
        if (found.length == 0 || found[0].getProperties() == null) {
            return;
        }
        Configuration configuration = found[0];
        long change = configuration.getChangeCount();
        Dictionary<String, Object> properties = configuration.getProperties();
        Map<String, Object> settings = Settings.of(properties);
        if (settings.equals(lastGood.get(pid))) {
            // unchanged, or this guard's own roll-back
            return;
        }
        try {
            Optional<String> problem = metatype.problem(pid, properties);
            ActivationWatch.Outcome outcome = problem.isPresent() ? new ActivationWatch.Refused(problem.get())
                    : activations.watch(pid, settings, ACTIVATION_WATCH, () -> isCurrent(pid, change));
            if (outcome instanceof ActivationWatch.Refused refused && isCurrent(pid, change)) {
                rollBack(configuration, refused.reason());
            } else if (outcome instanceof ActivationWatch.TakenUp) {
                lastGood.put(pid, settings);
            }
            // superseded: the newer configuration's own check decides
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isCurrent(String pid, long change) {
        Configuration[] found = guarded(pid);
        return found.length == 1 && found[0].getChangeCount() == change;
    }

    /**
     * Rolls back first and says so after: whoever reacts to the refusal (an operator, a script
     * watching the log) and writes a corrected file must not have it overwritten by a roll-back
     * still under way.
     */
    private void rollBack(Configuration configuration, String reason) {
        Map<String, Object> previous = lastGood.get(configuration.getPid());
        try {
            if (previous == null) {
                configuration.delete();
            } else {
                configuration.update(Settings.dictionary(previous));
            }
        } catch (IOException | IllegalStateException e) {
            LOG.error("Refused the configuration of {}: {}, and could not roll it back ({})",
                    configuration.getPid(), reason, e.getClass().getName());
            return;
        }
        LOG.warn("Refused the configuration of {}: {}. {}", configuration.getPid(), reason, previous == null
                ? "Its defaults are in force again." : "The configuration before it is in force again.");
    }

    private Configuration[] guarded(String pid) {
        String filter = pid == null ? "(" + Constants.SERVICE_PID + "=" + GUARDED + "*)"
                : "(" + Constants.SERVICE_PID + "=" + pid.replaceAll("([\\\\*()])", "\\\\$1") + ")";
        try {
            Configuration[] found = admin.listConfigurations(filter);
            return found == null ? new Configuration[0] : found;
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Could not read configurations ({})", e.getClass().getName());
            return new Configuration[0];
        }
    }
}
