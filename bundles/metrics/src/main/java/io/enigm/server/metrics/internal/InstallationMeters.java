package io.enigm.server.metrics.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The installation's one meter registry, offered to every bundle as a {@link MeterRegistry} and
 * read by {@link MetricsServlet} in Prometheus' text format. It has no configuration and no
 * references, and is created at once (not when first asked for), so that nothing but stopping this
 * bundle restarts it and the components that record into it: like the store's, this bundle is part
 * of the core, and stopping it stops them.
 */
@Component(service = { MeterRegistry.class, PrometheusMeterRegistry.class }, immediate = true)
public class InstallationMeters extends PrometheusMeterRegistry {

    private final JvmGcMetrics collections = new JvmGcMetrics();

    public InstallationMeters() {
        super(PrometheusConfig.DEFAULT);
    }

    @Activate
    void bindJvmMeters() {
        List<MeterBinder> jvm = List.of(new JvmMemoryMetrics(), collections, new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics());
        jvm.forEach(binder -> binder.bindTo(this));
    }

    @Deactivate
    void unbind() {
        collections.close();
        close();
    }
}
