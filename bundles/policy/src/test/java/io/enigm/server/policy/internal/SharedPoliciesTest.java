package io.enigm.server.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.internal.TestDatabases;

/**
 * On a database shared by nodes, a node decides by the latest stored policy version even when
 * another node put it (and this one heard nothing of it).
 */
@EnabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql")
class SharedPoliciesTest {

    @TempDir
    Path directory;

    @Test
    void aVersionPutThroughAnotherNodeIsInForceHereAtOnce() {
        Installation installation = new Installation(directory);
        PersistentPolicies otherNode = installation.restartedPolicies();
        String env = installation.environment("Shared").id();
        assertEquals(0, otherNode.inForce(env).version, "the built-in policy, compiled and kept");
        installation.policies.put(env, PolicyDocument.BUILT_IN, "first node");
        assertEquals(1, otherNode.inForce(env).version);
        installation.policies.put(env, PolicyDocument.BUILT_IN, "first node");
        assertEquals(2, otherNode.inForce(env).version);
    }
}
