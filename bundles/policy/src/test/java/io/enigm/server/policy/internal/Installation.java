package io.enigm.server.policy.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.internal.HashChainedAuditLog;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.internal.HashedCriticalOperationPin;
import io.enigm.server.environment.internal.HmacPseudonyms;
import io.enigm.server.environment.internal.PersistentEnvironments;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.store.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestComponents;
import io.enigm.server.store.internal.TestDatabases;

/**
 * A real installation for policy tests: the SQLite store, the audit log and the environment
 * service built through their activation constructors as DS would, plus this bundle's components
 * on a clock the test moves. Only the attestation registry, owned by another bundle, is a test
 * double ({@link ScriptedRegistry}).
 */
final class Installation {

    final Database database;
    final EnvironmentService environments;
    final AuditLog audit;
    final CriticalOperationPin pin;
    final TestClock clock = new TestClock();
    final ScriptedRegistry registry = new ScriptedRegistry();
    final PersistentPolicies policies;
    final AttestedPolicyEngine engine;

    Installation(Path directory) {
        DataHome home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        Map<Class<?>, Object> services = new HashMap<>();
        services.put(DataHome.class, home);
        services.put(Database.class, database);
        audit = TestComponents.activate(HashChainedAuditLog.class, services);
        services.put(AuditLog.class, audit);
        services.put(Pseudonyms.class, TestComponents.activate(HmacPseudonyms.class, services));
        pin = TestComponents.activate(HashedCriticalOperationPin.class, services);
        services.put(CriticalOperationPin.class, pin);
        environments = TestComponents.activate(PersistentEnvironments.class, services);
        policies = new PersistentPolicies(database, environments, clock);
        engine = new AttestedPolicyEngine(policies, registry, database, Duration.ofMinutes(15), clock);
    }

    /** The same database as after a restart: nothing compiled or cached yet. */
    PersistentPolicies restartedPolicies() {
        return new PersistentPolicies(database, environments, clock);
    }

    Environment environment(String name) {
        return environments.create(new NewEnvironment(name, null));
    }

    long count(String table) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

}
