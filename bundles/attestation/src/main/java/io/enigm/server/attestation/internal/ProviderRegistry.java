package io.enigm.server.attestation.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.osgi.framework.ServiceReference;
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

import io.enigm.server.attestation.registry.AttestationChange;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.registry.ProviderUsage;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.UnavailableException;
import io.enigm.server.privacy.IdentifierKind;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The attestation providers deployed now. Providers bind and unbind at any time (hot deploy);
 * readers never lock: they read an immutable {@link ProviderSelection} that each change replaces.
 * Evaluations, descriptions and operations run on a bounded pool within the provider's budget, and
 * whatever a provider does wrong there becomes {@link Observation#unavailable} (decisions) or a
 * refusal that changes nothing (operations). What a provider is comes from its service properties;
 * only the names of its operations are read from it on the caller's thread.
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
    /** The lifecycle operation that reports a hardware Key lost (the Enigm Key provider's). */
    private static final String MARK_LOST = "mark-lost";
    private static final BudgetUse NEVER_ASKED = new BudgetUse();

    private final Database database;
    private final Pseudonyms pseudonyms;
    private final Budgets budgets;
    private final Map<SignalCategory, String> configured;
    private final SecurityEventRecorder events;
    private final Clock clock = Clock.systemUTC();
    private final ThreadPoolExecutor pool;
    /** Every bound provider in bind order, including ones not selected; guarded by itself. */
    private final List<Registration> registrations = new ArrayList<>();
    private volatile ProviderSelection selection = ProviderSelection.none();
    /** Each provider type's use of its budget since start, kept when it goes so that it shows again if it returns. */
    private final Map<String, BudgetUse> budgetUse = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final MeterProvider<Timer> evaluations;
    private final Gauge bound;

    @Activate
    public ProviderRegistry(@Reference Database database, @Reference Pseudonyms pseudonyms,
            @Reference SecurityEventRecorder events, @Reference MeterRegistry meters,
            AttestationConfiguration configuration) {
        this.budgets = Budgets.from(configuration);
        this.configured = CategoryProviders.parse(configuration.categoryProviders());
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
        this.events = events;
        this.meters = meters;
        this.evaluations = Timer.builder("enigm.attestation.evaluations")
                .description("Providers' evaluations, by provider type and outcome (a result, or why none came)")
                .withRegistry(meters);
        this.bound = Gauge.builder("enigm.attestation.providers", registrations, ProviderRegistry::count)
                .description("Attestation providers bound now, selected or not").register(meters);
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued),
                runnable -> {
                    Thread thread = new Thread(runnable, "enigm-attestation-" + number.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        LOG.info("Attestation providers are asked on {} threads ({} calls may wait) within {} ms, overrides {},"
                + " operations within {} ms; providers by category {}", threads, queued,
                budgets.defaultBudget().toMillis(), budgets.byType(), budgets.operation().toMillis(), configured);
    }

    private static int count(List<Registration> registrations) {
        synchronized (registrations) {
            return registrations.size();
        }
    }

    @Deactivate
    void stop() {
        meters.remove(bound);
        pool.shutdownNow();
    }

    @Reference(service = AttestationProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindProvider(AttestationProvider provider, ServiceReference<AttestationProvider> reference) {
        bind(provider, reference::getProperty,
                reference.getBundle() == null ? "" : reference.getBundle().getSymbolicName());
    }

    void unbindProvider(AttestationProvider provider, ServiceReference<AttestationProvider> reference) {
        unbind(provider);
    }

    /**
     * Registers {@code provider} as registered by the bundle named {@code bundle}, as its service
     * {@code properties} describe it; provider code does not run here.
     */
    void bind(AttestationProvider provider, Function<String, Object> properties, String bundle) {
        Registration registration = Registration.of(provider, properties, bundle).orElse(null);
        if (registration == null) {
            LOG.warn("Ignoring an attestation provider of bundle {}: its service properties {}, {}, {} and {}"
                    + " must all be set, the last to a signal category", bundle, ProviderMetadata.TYPE,
                    ProviderMetadata.NAME, ProviderMetadata.VERSION, ProviderMetadata.CATEGORY);
            return;
        }
        boolean answers;
        synchronized (registrations) {
            registrations.add(registration);
            reselect();
            answers = selection.isSelected(registration);
        }
        LOG.info("Attestation provider {} ({}, bundle {}) is deployed{}", registration.type(),
                registration.category(), bundle, answers ? " and answers " + registration.category() : "");
    }

    void unbind(AttestationProvider provider) {
        String type;
        synchronized (registrations) {
            Registration gone = registrations.stream().filter(registration -> registration.provider() == provider)
                    .findFirst().orElse(null);
            if (gone == null) {
                return;
            }
            registrations.remove(gone);
            type = gone.type();
            reselect();
        }
        LOG.info("Attestation provider {} is gone", type);
    }

    /** Under the registrations' lock: a new selection, and a warning for each provider deployed but unused. */
    private void reselect() {
        ProviderSelection next = ProviderSelection.of(List.copyOf(registrations), configured);
        selection = next;
        next.warnings().forEach(warning -> LOG.warn("{}", warning));
    }

    @Override
    public List<ProviderInfo> providers() {
        ProviderSelection current = selection;
        return current.listing().stream().map(registration -> registration.info(current.isSelected(registration)))
                .toList();
    }

    @Override
    public List<ProviderUsage> usage() {
        return selection.listing().stream().map(Registration::type).map(type -> budgetUse
                .getOrDefault(type, NEVER_ASKED).usage(type, budgets.of(type))).toList();
    }

    @Override
    public Set<SignalCategory> availableCategories() {
        return selection.categories();
    }

    @Override
    public Map<SignalCategory, Observation> observe(DeviceRef device, Set<SignalCategory> needed,
            Map<String, Map<String, Object>> evidence) {
        long started = System.nanoTime();
        ProviderSelection current = selection;
        Map<SignalCategory, Observation> observations = new EnumMap<>(SignalCategory.class);
        Map<SignalCategory, Future<Signal>> asked = new EnumMap<>(SignalCategory.class);
        Map<SignalCategory, String> types = new EnumMap<>(SignalCategory.class);
        for (SignalCategory category : needed) {
            Registration registration = current.forCategory(category);
            if (registration == null) {
                observations.put(category, Observation.unavailable(category, current.missingReason(category)));
                continue;
            }
            String type = registration.type();
            Map<String, Object> own = evidence == null ? null : evidence.get(type);
            Map<String, Object> providerEvidence = own == null ? Map.of() : own;
            RegisteredDevice attested = attested(device, registration, false);
            try {
                asked.put(category, pool.submit(() -> registration.provider().evaluate(attested, providerEvidence)));
                types.put(category, type);
            } catch (RejectedExecutionException e) {
                LOG.warn("Attestation provider {} not asked: every provider thread is busy and the queue is full",
                        type);
                Observation overloaded = Observation.unavailable(category, OVERLOADED);
                budgetUse.computeIfAbsent(type, any -> new BudgetUse()).failed();
                evaluated(type, overloaded, started);
                observations.put(category, overloaded);
            }
        }
        for (Map.Entry<SignalCategory, Future<Signal>> entry : asked.entrySet()) {
            SignalCategory category = entry.getKey();
            String type = types.get(category);
            Observation observation = await(category, type, entry.getValue(), started);
            evaluated(type, observation, started);
            observations.put(category, observation);
        }
        recordRefusedKeyAnswer(device, evidence, types.get(SignalCategory.HARDWARE_KEY),
                observations.get(SignalCategory.HARDWARE_KEY));
        return observations;
    }

    /** Counts an evaluation by its outcome: the signal's result, or why there was none (a timeout, a failure, overload). */
    private void evaluated(String type, Observation observation, long started) {
        evaluations.withTags("provider", type, "outcome", observation.available() ? observation.result().name()
                : observation.reasonCode()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /**
     * A Key's answer the device presented and its provider did not accept is a security event: a
     * replay of an answer to another attempt's nonce cannot be told from a forgery, and either is
     * suspicious. Only evidence counts: nothing presented is nothing refused.
     */
    private void recordRefusedKeyAnswer(DeviceRef device, Map<String, Map<String, Object>> evidence, String type,
            Observation observation) {
        if (type == null || observation == null || !observation.available() || observation.passed()
                || evidence == null || evidence.get(type) == null || evidence.get(type).isEmpty()) {
            return;
        }
        try {
            events.record(device.environmentId(), SecurityEventCategory.KEY_ANSWER_REFUSED, keyHandle(device));
        } catch (RuntimeException e) {
            LOG.warn("Could not record a refused Key answer ({})", e.getClass().getName());
        }
    }

    /** Waits for {@code answer} until {@code type}'s budget, counted from {@code started}, is spent. */
    private Observation await(SignalCategory category, String type, Future<Signal> answer, long started) {
        BudgetUse use = budgetUse.computeIfAbsent(type, any -> new BudgetUse());
        long deadline = started + budgets.of(type).toNanos();
        try {
            Signal signal = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (signal == null || signal.category() != category) {
                LOG.warn("Attestation provider {} answered without a {} signal", type, category);
                use.failed();
                return Observation.unavailable(category, FAILED);
            }
            use.answered(System.nanoTime() - started);
            return new Observation(category, signal.result(), true, signal.expiresAt(), signal.reasonCode(),
                    signal.lapse());
        } catch (TimeoutException e) {
            answer.cancel(true);
            LOG.debug("Attestation provider {} did not answer within its budget", type);
            use.timedOut();
            return Observation.unavailable(category, TIMEOUT);
        } catch (ExecutionException e) {
            // The exception's type only: a provider's message may quote the evidence.
            LOG.warn("Attestation provider {} failed ({})", type, e.getCause().getClass().getName());
            use.failed();
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
        Registration registration = registration(type);
        try {
            return copy(within(registration, budgets.operation(), () -> registration.provider().describe(
                    attested(device, registration, false))));
        } catch (UnavailableException | AttestationException e) {
            return Map.of("available", false, "reason", FAILED);
        }
    }

    @Override
    public AttestationChange prepareOperation(DeviceRef device, String type, String operation,
            Map<String, Object> request) throws AttestationException {
        Registration registration = registration(type);
        requireOneOf(registration.provider().operations(), operation);
        return prepare(registration, device, operation, request, false);
    }

    @Override
    public AttestationChange prepareCallback(DeviceRef device, String type, String operation,
            Map<String, Object> request) throws AttestationException {
        Registration registration = registration(type);
        requireOneOf(registration.provider().callbackOperations(), operation);
        return prepare(registration, device, operation, request, true);
    }

    /** Runs the provider's operation off the caller's thread within its budget; nothing is written yet. */
    private AttestationChange prepare(Registration registration, DeviceRef device, String operation,
            Map<String, Object> request, boolean callback) throws AttestationException {
        Map<String, Object> parameters = request == null ? Map.of() : request;
        RegisteredDevice attested = attested(device, registration, true);
        Map<String, Object> view = within(registration, budgets.operation(), () -> {
            if (callback) {
                // the stateless check first: a forged call reads nothing
                registration.provider().authenticateCallback(attested, operation, parameters);
            }
            return registration.provider().operate(attested, operation, parameters);
        });
        LOG.debug("Attestation provider {} prepared {}", registration.type(), operation);
        return new RecordChange(database, attested.records(), copy(view), lifecycleEvent(registration, device,
                operation));
    }

    /** The device lifecycle event an operation is, if any: a hardware Key marked lost. */
    private Runnable lifecycleEvent(Registration registration, DeviceRef device, String operation) {
        if (registration.category() != SignalCategory.HARDWARE_KEY || !MARK_LOST.equals(operation)) {
            return null;
        }
        String keyHandle = keyHandle(device);
        return () -> events.record(device.environmentId(), SecurityEventCategory.DEVICE_KEY_LOST, keyHandle);
    }

    /** The device key's handle, from the key as the API carries it (standard Base64 of its DER). */
    private String keyHandle(DeviceRef device) {
        return pseudonyms.handle(device.environmentId(), IdentifierKind.DEVICE_KEY,
                Base64.getEncoder().encodeToString(device.publicKey()));
    }

    /**
     * Runs provider code on the pool within the provider's budget. A refusal passes through; a
     * timeout, a full pool or any other failure is {@link UnavailableException}, logged by type only.
     */
    private <T> T within(Registration registration, Duration budget, Callable<T> work) throws AttestationException {
        Future<T> answer;
        try {
            answer = pool.submit(work);
        } catch (RejectedExecutionException e) {
            LOG.warn("Attestation provider {} not asked: every provider thread is busy", registration.type());
            throw new UnavailableException("the attestation provider is busy; nothing was changed, try again");
        }
        try {
            return answer.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            LOG.warn("Attestation provider {} did not answer within its budget", registration.type());
            throw new UnavailableException("the attestation provider did not answer in time; nothing was changed");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AttestationException refusal) {
                throw refusal;
            }
            LOG.warn("Attestation provider {} failed ({})", registration.type(), e.getCause().getClass().getName());
            throw new UnavailableException("the attestation provider failed; nothing was changed");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the attestation provider");
        }
    }

    private static void requireOneOf(Set<String> allowed, String operation) throws AttestationException {
        if (operation == null || !allowed.contains(operation)) {
            throw new AttestationException(AttestationException.Reason.INVALID_REQUEST,
                    "operation must be one of " + new TreeSet<>(allowed));
        }
    }

    /** The time budget of a provider type; for the policy engine's and tests' reasoning about waits. */
    Duration budget(String type) {
        return budgets.of(type);
    }

    private Registration registration(String type) {
        Registration registration = selection.forType(type);
        if (registration == null) {
            throw new NotFoundException("no attestation provider of that type is deployed");
        }
        return registration;
    }

    private RegisteredDevice attested(DeviceRef device, Registration registration, boolean writable) {
        return new RegisteredDevice(device, registration.category(), pseudonyms, new DeviceRecords(database, clock,
                device.environmentId(), device.deviceId(), registration, writable));
    }

    private static Map<String, Object> copy(Map<String, Object> view) {
        return view == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(view));
    }
}
