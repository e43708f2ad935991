package io.enigm.server.policy.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
    final MutableClock clock = new MutableClock();
    final ScriptedRegistry registry = new ScriptedRegistry();
    final PersistentPolicies policies;
    final AttestedPolicyEngine engine;

    Installation(Path directory) {
        DataHome home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        Map<Class<?>, Object> services = new HashMap<>();
        services.put(DataHome.class, home);
        services.put(Database.class, database);
        audit = activate(HashChainedAuditLog.class, services);
        services.put(AuditLog.class, audit);
        services.put(Pseudonyms.class, activate(HmacPseudonyms.class, services));
        pin = activate(HashedCriticalOperationPin.class, services);
        services.put(CriticalOperationPin.class, pin);
        environments = activate(PersistentEnvironments.class, services);
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

    @SuppressWarnings("unchecked")
    static <T> T activate(Class<T> type, Map<Class<?>, Object> services) {
        Constructor<?> constructor = Arrays.stream(type.getConstructors())
                .filter(candidate -> Modifier.isPublic(candidate.getModifiers()))
                .findFirst().orElseThrow();
        Object[] arguments = Arrays.stream(constructor.getParameterTypes())
                .map(parameter -> parameter.isAnnotation() ? defaults(parameter)
                        : Optional.ofNullable(services.get(parameter))
                                .orElseThrow(() -> new IllegalStateException("no " + parameter.getName() + " for " + type)))
                .toArray();
        try {
            return (T) constructor.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object defaults(Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("annotationType")) {
                return type;
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            throw new IllegalStateException(type.getName() + "." + method.getName() + " has no default");
        });
    }

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-11-25T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
