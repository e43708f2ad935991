package io.enigm.server.audit.internal;

import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditChange;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.OperatorActivity;

/**
 * Audits what operators do to the running installation: configuration changed or deleted through
 * ConfigAdmin (which PID, which keys, values only where not secret), bundles installed, updated,
 * started, stopped or uninstalled, and the server's start and stop. The framework reports each on
 * the thread that caused it (both listeners are synchronous), which names the actor: the operator
 * whose Web Console request or shell command it is (an {@link OperatorActivity} of the console or the
 * shell, whichever knows the thread), the {@code deploy/} or {@code conf/}
 * directory's watcher, or the system. Bundle events while the framework starts or stops belong to
 * the server's start and stop and are not recorded one by one; the start's record names what
 * {@code deploy/} holds.
 */
@Component(service = SynchronousConfigurationListener.class, immediate = true)
public final class OperatorActions implements SynchronousConfigurationListener, SynchronousBundleListener,
        FrameworkListener {

    static final String OPERATOR_ROLE = "OPERATOR";
    static final String SYSTEM = "system";
    /** The directories the launcher has Felix FileInstall watch, by the end of its watcher thread's name. */
    private static final Map<String, String> WATCHED_DIRECTORIES = Map.of(
            "/deploy", "operator:deploy-directory", "/conf", "operator:conf-directory");
    private static final Logger LOG = LoggerFactory.getLogger(OperatorActions.class);

    private final BundleContext context;
    private final AuditLog audit;
    private final ConfigurationSnapshots configurations;
    /** The console's login and the shell: each knows only its own threads. */
    private final List<OperatorActivity> activities = new CopyOnWriteArrayList<>();
    /** Between the framework's start and the beginning of its stop: bundle events are operator actions. */
    private volatile boolean serving;

    @Activate
    public OperatorActions(BundleContext context, @Reference AuditLog audit, @Reference ConfigurationAdmin admin) {
        this.context = context;
        this.audit = audit;
        this.configurations = new ConfigurationSnapshots(admin);
        this.serving = started(context);
        context.addFrameworkListener(this);
        context.addBundleListener(this);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindActivity(OperatorActivity bound) {
        activities.add(bound);
    }

    void unbindActivity(OperatorActivity unbound) {
        activities.remove(unbound);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        context.removeFrameworkListener(this);
    }

    /** Started already when this component comes after the framework reached its beginning start level. */
    private static boolean started(BundleContext context) {
        Bundle system = context.getBundle(0);
        String beginning = context.getProperty("org.osgi.framework.startlevel.beginning");
        int target = beginning == null ? 1 : Integer.parseInt(beginning.trim());
        return system.getState() == Bundle.ACTIVE && system.adapt(FrameworkStartLevel.class).getStartLevel() >= target;
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            serving = true;
            record("server.start", null, deployedAtStart());
        }
    }

    /**
     * The bundles the {@code deploy/} directory holds as the server starts, each as its file and
     * bundle: one dropped there while the framework started has no record of its own, and one
     * deployed earlier is named at every start.
     */
    private List<AuditChange> deployedAtStart() {
        String watched = context.getProperty("felix.fileinstall.dir");
        List<Path> deploy = watched == null ? List.of() : Arrays.stream(watched.split(",")).map(String::strip)
                .filter(dir -> dir.endsWith("/deploy")).map(dir -> Path.of(dir).toAbsolutePath().normalize())
                .toList();
        List<AuditChange> deployed = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            Path file = file(bundle.getLocation());
            if (file != null && deploy.stream().anyMatch(file::startsWith)) {
                deployed.add(new AuditChange("deploy/" + file.getFileName(), null,
                        bundle.getSymbolicName() + "@" + bundle.getVersion()));
            }
        }
        return deployed;
    }

    /** The file a bundle was installed from, when its location is a file URI. */
    private static Path file(String location) {
        try {
            return location.startsWith("file:") ? Path.of(URI.create(location)).toAbsolutePath().normalize() : null;
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return null;
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        if (bundle.getBundleId() == 0) {
            if (event.getType() == BundleEvent.STOPPING && serving) {
                serving = false;
                record("server.stop", null, List.of());
            }
            return;
        }
        String action = switch (event.getType()) {
            case BundleEvent.INSTALLED -> "bundle.install";
            case BundleEvent.UPDATED -> "bundle.update";
            case BundleEvent.STARTED -> "bundle.start";
            case BundleEvent.STOPPED -> "bundle.stop";
            case BundleEvent.UNINSTALLED -> "bundle.uninstall";
            default -> null;
        };
        if (action != null && serving) {
            record(action, bundle.getSymbolicName() + "@" + bundle.getVersion(), List.of());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        switch (event.getType()) {
            case ConfigurationEvent.CM_UPDATED -> {
                List<AuditChange> changes = configurations.updated(pid);
                // FileInstall writes a change made elsewhere back to its file and reads it again: no new change
                if (!changes.isEmpty()) {
                    record("configuration.update", pid, changes);
                }
            }
            case ConfigurationEvent.CM_DELETED -> record("configuration.delete", pid, configurations.deleted(pid));
            default -> {
                // a new bundle location changes nothing an operator configured
            }
        }
    }

    private void record(String action, String target, List<AuditChange> changes) {
        String actor = actor();
        try {
            audit.append(new AuditEntry(actor, actor.equals(SYSTEM) ? null : OPERATOR_ROLE, null, action, target,
                    AuditOutcome.ALLOWED, null, changes));
        } catch (RuntimeException e) {
            // the store may be the bundle that just stopped; the action itself has happened
            LOG.warn("Could not audit the operator action {} ({})", action, e.getClass().getName());
        }
    }

    /** Who acts on this thread: a console or shell operator, a watched directory's files, or the system. */
    private String actor() {
        for (OperatorActivity activity : activities) {
            Optional<String> operator = activity.operatorOnThisThread();
            if (operator.isPresent()) {
                return "operator:" + operator.get();
            }
        }
        // Felix FileInstall names its watcher thread after the directory it watches
        String thread = Thread.currentThread().getName();
        if (thread.startsWith("fileinstall-")) {
            return WATCHED_DIRECTORIES.entrySet().stream().filter(dir -> thread.endsWith(dir.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse("operator:files");
        }
        return SYSTEM;
    }
}
