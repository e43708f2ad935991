package io.enigm.server.policy.internal;

import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.internal.TestEnvironments;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

/**
 * A real installation for policy tests: the SQLite store, the audit log and the environment
 * service as the environment bundle's test fixture builds them, plus this bundle's components,
 * all on a clock the test moves. Only the attestation registry, owned by another bundle, is a test
 * double ({@link ScriptedRegistry}).
 */
final class Installation implements AutoCloseable {

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
        TestEnvironments installed = TestEnvironments.install(home, database, clock, Duration.ofDays(7));
        audit = installed.audit();
        pin = installed.pin();
        environments = installed.environments();
        policies = new PersistentPolicies(database, environments, clock);
        engine = new AttestedPolicyEngine(policies, registry, database, new SimpleMeterRegistry(),
                Duration.ofMinutes(15), clock);
    }

    /** The same database as after a restart: nothing compiled or cached yet. */
    PersistentPolicies restartedPolicies() {
        return new PersistentPolicies(database, environments, clock);
    }

    /** Closes the database, whose pooled connections a PostgreSQL test server could otherwise run out of. */
    @Override
    public void close() {
        try {
            ((AutoCloseable) database).close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Environment environment(String name) {
        return environments.create(new NewEnvironment(name, null));
    }

    long count(String table) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

}
