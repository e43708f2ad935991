package io.enigm.server.attestation.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

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
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.UnavailableException;
import io.enigm.server.privacy.IdentifierKind;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The attestation providers deployed now. Providers bind and unbind at any time (hot deploy);
 * readers never lock: they read an immutable {@link ProviderSelection} that each change replaces.
 * Evaluations, descriptions and operations run through {@link ProviderCalls}, within the
 * provider's budget, where whatever a provider does wrong becomes {@link Observation#unavailable}
 * (decisions) or a refusal that changes nothing (operations). What a provider is comes from its service properties;
 * only the names of its operations are read from it on the caller's thread.
 */
@Component(service = AttestationRegistry.class, configurationPid = AttestationConfiguration.PID)
@Designate(ocd = AttestationConfiguration.class)
public class ProviderRegistry implements AttestationRegistry {

    /** The reason code of an observation no deployed provider could give, for administrators. */
    static final String ABSENT = "PROVIDER_ABSENT";

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);
    /** The lifecycle operation that reports a hardware Key lost (the Enigm Key provider's). */
    private static final String MARK_LOST = "mark-lost";

    private final Database database;
    private final Pseudonyms pseudonyms;
    private final Map<SignalCategory, String> configured;
    private final SecurityEventRecorder events;
    private final Clock clock = Clock.systemUTC();
    private final ProviderCalls calls;
    /** Every bound provider in bind order, including ones not selected; guarded by itself. */
    private final List<Registration> registrations = new ArrayList<>();
    private volatile ProviderSelection selection = ProviderSelection.none();
    private final MeterRegistry meters;
    private final Gauge bound;

    @Activate
    public ProviderRegistry(@Reference Database database, @Reference Pseudonyms pseudonyms,
            @Reference SecurityEventRecorder events, @Reference MeterRegistry meters,
            AttestationConfiguration configuration) {
        Budgets budgets = Budgets.from(configuration);
        this.configured = CategoryProviders.parse(configuration.categoryProviders());
        int threads = configuration.providerThreads();
        int queued = configuration.maxQueuedCalls();
        this.calls = new ProviderCalls(budgets, threads, queued, meters);
        this.database = database;
        this.pseudonyms = pseudonyms;
        this.events = events;
        this.meters = meters;
        this.bound = Gauge.builder("enigm.attestation.providers", registrations, ProviderRegistry::count)
                .description("Attestation providers bound now, selected or not").register(meters);
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
        calls.close();
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
        return selection.listing().stream().map(Registration::type).map(calls::usage).toList();
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
        Map<SignalCategory, Supplier<Observation>> asked = new EnumMap<>(SignalCategory.class);
        Map<SignalCategory, String> types = new EnumMap<>(SignalCategory.class);
        for (SignalCategory category : needed) {
            Registration registration = current.forCategory(category);
            if (registration == null) {
                observations.put(category, Observation.unavailable(category, current.missingReason(category)));
                continue;
            }
            String type = registration.type();
            Map<String, Object> own = evidence == null ? null : evidence.get(type);
            // every provider is asked before any answer is awaited: their budgets run side by side
            asked.put(category, calls.evaluate(registration, attested(device, registration, false),
                    own == null ? Map.of() : own, started));
            types.put(category, type);
        }
        asked.forEach((category, observation) -> observations.put(category, observation.get()));
        recordRefusedKeyAnswer(device, evidence, types.get(SignalCategory.HARDWARE_KEY),
                observations.get(SignalCategory.HARDWARE_KEY));
        return observations;
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

    /** A provider that fails to describe a device does not take the administrator's whole view down. */
    @Override
    public Map<String, Object> describe(DeviceRef device, String type) {
        Registration registration = registration(type);
        try {
            return copy(calls.operate(registration, () -> registration.provider().describe(
                    attested(device, registration, false))));
        } catch (UnavailableException | AttestationException e) {
            return Map.of("available", false, "reason", ProviderCalls.FAILED);
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
        Map<String, Object> view = calls.operate(registration, () -> {
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

    private static void requireOneOf(Set<String> allowed, String operation) throws AttestationException {
        if (operation == null || !allowed.contains(operation)) {
            throw new AttestationException(AttestationException.Reason.INVALID_REQUEST,
                    "operation must be one of " + new TreeSet<>(allowed));
        }
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
