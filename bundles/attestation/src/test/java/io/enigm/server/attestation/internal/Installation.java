package io.enigm.server.attestation.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.attestation.registry.AttestationChange;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.internal.HashChainedAuditLog;
import io.enigm.server.audit.internal.StoredSecurityEventRecorder;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.internal.HashedCriticalOperationPin;
import io.enigm.server.environment.internal.HmacPseudonyms;
import io.enigm.server.environment.internal.PersistentEnvironments;
import io.enigm.server.environment.internal.PersistentLegalHolds;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestComponents;
import io.enigm.server.store.internal.TestDatabases;

/**
 * A real installation for attestation tests: the SQLite store, the audit log, environments and
 * HMAC pseudonyms, built through their activation constructors as DS would. Public, in the test
 * jar, so that provider bundles test their providers through the real registry and records.
 */
public final class Installation {

    final Database database;
    final AuditLog audit;
    final SecurityEventRecorder events;
    final Pseudonyms pseudonyms;
    final EnvironmentService environments;

    public Installation(Path directory) {
        DataHome home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        Map<Class<?>, Object> services = new HashMap<>();
        services.put(DataHome.class, home);
        services.put(Database.class, database);
        audit = TestComponents.activate(HashChainedAuditLog.class, services, Map.of());
        services.put(AuditLog.class, audit);
        events = TestComponents.activate(StoredSecurityEventRecorder.class, services, Map.of());
        services.put(SecurityEventRecorder.class, events);
        pseudonyms = TestComponents.activate(HmacPseudonyms.class, services, Map.of());
        services.put(Pseudonyms.class, pseudonyms);
        services.put(CriticalOperationPin.class, TestComponents.activate(HashedCriticalOperationPin.class, services, Map.of()));
        services.put(LegalHolds.class, TestComponents.activate(PersistentLegalHolds.class, services, Map.of()));
        environments = TestComponents.activate(PersistentEnvironments.class, services, Map.of());
    }

    public String environment(String name) {
        return environments.create(new NewEnvironment(name, null)).id();
    }

    /** The meters every registry made here records into. */
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** A registry with these configuration values (the rest at their defaults); the caller stops it. */
    public ProviderRegistry registry(Map<String, Object> configuration) {
        return new ProviderRegistry(database, pseudonyms, events, meters,
                configuration(AttestationConfiguration.class, configuration));
    }

    /** The bundle tests deploy providers from unless they name another. */
    public static final String TEST_BUNDLE = "io.enigm.server.test.provider";

    /**
     * Deploys a Declarative Services provider, as DS would when its bundle starts: with the service
     * properties its component descriptor (written by bnd from its annotations) declares.
     */
    public static void deploy(ProviderRegistry registry, AttestationProvider provider) {
        deploy(registry, provider, ComponentDescriptor.properties(provider.getClass()), TEST_BUNDLE);
    }

    /** Deploys a provider registered with these service properties by the bundle named {@code bundle}. */
    public static void deploy(ProviderRegistry registry, AttestationProvider provider, Map<String, Object> properties,
            String bundle) {
        registry.bind(provider, properties::get, bundle);
    }

    /** Withdraws a provider, as when its bundle stops. */
    public static void withdraw(ProviderRegistry registry, AttestationProvider provider) {
        registry.unbind(provider);
    }

    /** Runs an administrator's operation as the Command API does: prepared, then applied; the view after. */
    public static Map<String, Object> operate(AttestationRegistry registry, DeviceRef device, String type,
            String operation, Map<String, Object> request) throws AttestationException {
        AttestationChange change = registry.prepareOperation(device, type, operation, request);
        change.apply();
        return change.view();
    }

    /** Runs a callback as the Command API does: prepared, then applied; the view after. */
    public static Map<String, Object> callback(AttestationRegistry registry, DeviceRef device, String type,
            String operation, Map<String, Object> request) throws AttestationException {
        AttestationChange change = registry.prepareCallback(device, type, operation, request);
        change.apply();
        return change.view();
    }

    /** A device row, so that bindings see the device in service (or not, by its trust). */
    public void device(String environmentId, String memberId, String deviceId, String trust) {
        database.inTransaction(handle -> {
            handle.createUpdate("INSERT INTO member (id, environment_id, account_handle, role, state, created_at,"
                    + " updated_at) VALUES (:member, :env, :member, 'MEMBER', 'ACTIVE', 0, 0) ON CONFLICT DO NOTHING")
                    .bind("member", memberId).bind("env", environmentId).execute();
            return handle.createUpdate("INSERT INTO device (id, environment_id, member_id, public_key, key_handle,"
                    + " fingerprint, trust, created_at, updated_at)"
                    + " VALUES (:device, :env, :member, :key, :device, :device, :trust, 0, 0)"
                    + " ON CONFLICT (id) DO UPDATE SET trust = :trust")
                    .bind("device", deviceId).bind("env", environmentId).bind("member", memberId)
                    .bind("trust", trust).bind("key", new byte[] {0}).execute(); // a BLOB, or BYTEA
        });
    }

    public static void stop(ProviderRegistry registry) {
        registry.stop();
    }

    public long count(String table) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    /** A configuration annotation: the given values, every other attribute at its metatype default. */
    public static <A> A configuration(Class<A> type, Map<String, Object> values) {
        return TestComponents.configuration(type, values);
    }
}
