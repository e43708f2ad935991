package io.enigm.server.attestation.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.store.Database;

/**
 * The attestation providers deployed now. Providers bind and unbind at any time (hot deploy);
 * readers never lock: they read a concurrent map by type and an immutable snapshot by category
 * that each change replaces. During {@link #observe} every provider runs on a bounded pool within
 * its budget, and whatever it does wrong becomes {@link Observation#unavailable}.
 */
@Component(service = AttestationRegistry.class, configurationPid = AttestationConfiguration.PID)
@Designate(ocd = AttestationConfiguration.class)
public class ProviderRegistry implements AttestationRegistry {

    /** Reason codes of unavailable observations, for administrators. */
    static final String ABSENT = "PROVIDER_ABSENT";
    static final String TIMEOUT = "PROVIDER_TIMEOUT";
    static final String FAILED = "PROVIDER_FAILED";
    static final String OVERLOADED = "PROVIDER_OVERLOADED";

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

    private final Database database;
    private final Pseudonyms pseudonyms;
    private final Budgets budgets;
    private final Clock clock = Clock.systemUTC();
    private final ThreadPoolExecutor pool;
    private final Map<String, AttestationProvider> byType = new ConcurrentHashMap<>();
    /** Every bound provider with its type, including ones shadowed by another of the same type. */
    private final Map<AttestationProvider, String> bound = new ConcurrentHashMap<>();
    private volatile Map<SignalCategory, AttestationProvider> byCategory = Map.of();

    @Activate
    public ProviderRegistry(@Reference Database database, @Reference Pseudonyms pseudonyms,
            AttestationConfiguration configuration) {
        this.budgets = Budgets.from(configuration);
        int threads = configuration.providerThreads();
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("providerThreads must be between 1 and 256, not " + threads);
        }
        int queued = configuration.maxQueuedCalls();
        if (queued < 1 || queued > 100_000) {
            throw new IllegalArgumentException("maxQueuedCalls must be between 1 and 100000, not " + queued);
        }
        this.database = database;
        this.pseudonyms = pseudonyms;
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
                runnable -> {
                    Thread thread = new Thread(runnable, "enigm-attestation-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        LOG.info("Attestation providers are asked on {} threads ({} calls may wait) within {} ms, overrides {}",
                threads, queued, budgets.defaultBudget().toMillis(), budgets.byType());
    }

    @Deactivate
    void stop() {
        pool.shutdownNow();
    }

    @Reference(service = AttestationProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindProvider(AttestationProvider provider) {
        String type;
        SignalCategory category;
        try {
            type = provider.type();
            category = provider.category();
        } catch (RuntimeException e) {
            LOG.warn("Ignoring an attestation provider whose type or category cannot be read ({})",
                    e.getClass().getName());
            return;
        }
        if (type == null || type.isBlank() || category == null) {
            LOG.warn("Ignoring an attestation provider without a type or category");
            return;
        }
        synchronized (bound) {
            bound.put(provider, type);
            AttestationProvider previous = byType.putIfAbsent(type, provider);
            if (previous != null) {
                LOG.warn("A second attestation provider of type {} is deployed; the first one stays in use", type);
            }
            rebuildCategories();
        }
        LOG.info("Attestation provider {} ({}) is available", type, category);
    }

    void unbindProvider(AttestationProvider provider) {
        String type;
        synchronized (bound) {
            type = bound.remove(provider);
            if (type == null) {
                return;
            }
            if (byType.remove(type, provider)) {
                // Another deployed provider of the same type takes over instead of leaving a gap.
                bound.entrySet().stream().filter(entry -> entry.getValue().equals(type)).findFirst()
                        .ifPresent(entry -> byType.put(type, entry.getKey()));
            }
            rebuildCategories();
        }
        LOG.info("Attestation provider {} is gone", type);
    }

    /** One provider per category, the first by type name, so the choice does not depend on bind order. */
    private void rebuildCategories() {
        Map<SignalCategory, AttestationProvider> snapshot = new EnumMap<>(SignalCategory.class);
        byType.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> snapshot.putIfAbsent(entry.getValue().category(), entry.getValue()));
        byCategory = Collections.unmodifiableMap(snapshot);
    }

    @Override
    public List<ProviderInfo> providers() {
        List<ProviderInfo> providers = new ArrayList<>();
        for (AttestationProvider provider : byType.values()) {
            try {
                providers.add(new ProviderInfo(provider.type(), provider.name(), provider.version(),
                        provider.category()));
            } catch (RuntimeException e) {
                LOG.warn("Attestation provider could not describe itself ({})", e.getClass().getName());
            }
        }
        providers.sort(Comparator.comparing(ProviderInfo::type));
        return providers;
    }

    @Override
    public Set<SignalCategory> availableCategories() {
        return byCategory.keySet();
    }

    @Override
    public Map<SignalCategory, Observation> observe(DeviceRef device, Set<SignalCategory> needed,
            Map<String, Map<String, Object>> evidence) {
        long started = System.nanoTime();
        Map<SignalCategory, AttestationProvider> providers = byCategory;
        Map<SignalCategory, Observation> observations = new EnumMap<>(SignalCategory.class);
        Map<SignalCategory, Future<Signal>> asked = new EnumMap<>(SignalCategory.class);
        Map<SignalCategory, String> types = new EnumMap<>(SignalCategory.class);
        for (SignalCategory category : needed) {
            AttestationProvider provider = providers.get(category);
            if (provider == null) {
                observations.put(category, Observation.unavailable(category, ABSENT));
                continue;
            }
            String type = bound.get(provider);
            if (type == null) {
                observations.put(category, Observation.unavailable(category, ABSENT));
                continue;
            }
            Map<String, Object> own = evidence == null ? null : evidence.get(type);
            Map<String, Object> providerEvidence = own == null ? Map.of() : own;
            RegisteredDevice attested = attested(device, type, category);
            try {
                asked.put(category, pool.submit(() -> provider.evaluate(attested, providerEvidence)));
                types.put(category, type);
            } catch (RejectedExecutionException e) {
                LOG.warn("Attestation provider {} not asked: every provider thread is busy and the queue is full",
                        type);
                observations.put(category, Observation.unavailable(category, OVERLOADED));
            }
        }
        for (Map.Entry<SignalCategory, Future<Signal>> entry : asked.entrySet()) {
            SignalCategory category = entry.getKey();
            String type = types.get(category);
            long deadline = started + budgets.of(type).toNanos();
            observations.put(category, await(category, type, entry.getValue(), deadline));
        }
        return observations;
    }

    private Observation await(SignalCategory category, String type, Future<Signal> answer, long deadline) {
        try {
            Signal signal = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (signal == null || signal.category() != category) {
                LOG.warn("Attestation provider {} answered without a {} signal", type, category);
                return Observation.unavailable(category, FAILED);
            }
            return new Observation(category, signal.result(), true, signal.expiresAt(), signal.reasonCode());
        } catch (TimeoutException e) {
            answer.cancel(true);
            LOG.debug("Attestation provider {} did not answer within its budget", type);
            return Observation.unavailable(category, TIMEOUT);
        } catch (ExecutionException e) {
            // The exception's type only: a provider's message may quote the evidence.
            LOG.warn("Attestation provider {} failed ({})", type, e.getCause().getClass().getName());
            return Observation.unavailable(category, FAILED);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return Observation.unavailable(category, TIMEOUT);
        }
    }

    /** A provider that fails to describe a device does not take the administrator's whole view down. */
    @Override
    public Map<String, Object> describe(DeviceRef device, String type) {
        AttestationProvider provider = provider(type);
        try {
            return copy(provider.describe(attested(device, type, provider.category())));
        } catch (RuntimeException e) {
            LOG.warn("Attestation provider {} could not describe a device ({})", type, e.getClass().getName());
            return Map.of("available", false, "reason", FAILED);
        }
    }

    @Override
    public Map<String, Object> operate(DeviceRef device, String type, String operation, Map<String, Object> request)
            throws AttestationException {
        AttestationProvider provider = provider(type);
        return run(provider, provider.operations(), device, type, operation, request);
    }

    @Override
    public Map<String, Object> callback(DeviceRef device, String type, String operation, Map<String, Object> request)
            throws AttestationException {
        AttestationProvider provider = provider(type);
        return run(provider, provider.callbackOperations(), device, type, operation, request);
    }

    @Override
    public void authenticateCallback(DeviceRef device, String type, String operation, Map<String, Object> request)
            throws AttestationException {
        AttestationProvider provider = provider(type);
        requireOneOf(provider.callbackOperations(), operation);
        provider.authenticateCallback(attested(device, type, provider.category()), operation,
                request == null ? Map.of() : request);
    }

    private static void requireOneOf(Set<String> allowed, String operation) throws AttestationException {
        if (operation == null || !allowed.contains(operation)) {
            throw new AttestationException(AttestationException.Reason.INVALID_REQUEST,
                    "operation must be one of " + new java.util.TreeSet<>(allowed));
        }
    }

    private Map<String, Object> run(AttestationProvider provider, Set<String> allowed, DeviceRef device, String type,
            String operation, Map<String, Object> request) throws AttestationException {
        requireOneOf(allowed, operation);
        Map<String, Object> after = copy(provider.operate(attested(device, type, provider.category()), operation,
                request == null ? Map.of() : request));
        LOG.debug("Attestation provider {} ran {}", type, operation);
        return after;
    }

    /** The time budget of a provider type; for the policy engine's and tests' reasoning about waits. */
    Duration budget(String type) {
        return budgets.of(type);
    }

    private AttestationProvider provider(String type) {
        AttestationProvider provider = type == null ? null : byType.get(type);
        if (provider == null) {
            throw new NotFoundException("no attestation provider of that type is deployed");
        }
        return provider;
    }

    private RegisteredDevice attested(DeviceRef device, String type, SignalCategory category) {
        return new RegisteredDevice(device, category, pseudonyms,
                new StoredRecords(database, clock, device.environmentId(), device.deviceId(), type));
    }

    private static Map<String, Object> copy(Map<String, Object> view) {
        return view == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(view));
    }
}
