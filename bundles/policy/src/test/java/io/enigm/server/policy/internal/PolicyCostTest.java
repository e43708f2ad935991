package io.enigm.server.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.environment.Environment;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.Requirement;

/**
 * What one policy document may cost: the document that once exhausted the heap (1,500 distinct
 * roles and 1,500 resource categories, about 30 KB) is refused before anything is compiled, a
 * document at the limits compiles into a form whose size follows the document, and a stored version
 * over the limits cannot take a restarted server down.
 */
class PolicyCostTest {

    @TempDir
    Path directory;

    private Installation installation;
    private Environment environment;

    @BeforeEach
    void start() {
        installation = new Installation(directory);
        environment = installation.environment("Field office");
    }

    @AfterEach
    void close() {
        installation.close();
    }

    private static String rule(String id, List<String> roles, String actions, List<String> resources) {
        return "{\"id\":\"" + id + "\",\"roles\":" + names(roles) + ",\"actions\":[" + actions + "],\"resources\":"
                + names(resources) + ",\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"]}";
    }

    private static String names(List<String> names) {
        return "[\"" + String.join("\",\"", names) + "\"]";
    }

    /** {@code count} names from {@code first}, e.g. ROLE-0 … */
    private static List<String> numbered(String prefix, int first, int count) {
        List<String> names = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    private static final List<String> ANY = List.of("*");

    /** 47 rules naming 32 roles each and 47 naming 32 resource categories each: 1,504 of both. */
    private static String heapExhausting() {
        List<String> rules = new ArrayList<>();
        for (int i = 0; i < 47; i++) {
            rules.add(rule("roles-" + i, numbered("R", i * 32, 32), "\"*\"", ANY));
            rules.add(rule("resources-" + i, ANY, "\"*\"", numbered("r", i * 32, 32)));
        }
        return "{\"rules\":[" + String.join(",", rules) + "]}";
    }

    private AccessRequest request(String role, AccessAction action, String resource) {
        return new AccessRequest(environment.id(), "member-1", "device-1", new byte[] {1}, role, true, true, false,
                action, resource, null, Map.of());
    }

    @Test
    void theDocumentThatExhaustedTheHeapIsRefusedNamingTheLimitBeforeAnythingIsCompiled() {
        String document = heapExhausting();
        assertTrue(document.length() < PolicyDocument.MAX_DOCUMENT_CHARS, document.length() + " characters");
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> installation.policies.put(environment.id(), document, "token-policy-admin"));
        // Rule 0 names roles R0–R31, rule 2 roles R32–R63, rule 4 the 65th.
        assertEquals("/rules/4/roles", refused.field());
        assertTrue(refused.getMessage().contains("limit of " + PolicyLimits.MAX_ROLES + " distinct roles"),
                refused.getMessage());
        assertEquals(0, installation.policies.compilations(), "nothing was compiled");
        assertEquals(0, installation.count("policy_version"));
        assertEquals(0, installation.policies.inForce(environment.id()).version);
    }

    @Test
    void tooManyResourceCategoriesOrCompiledEntriesAreRefusedNamingTheirLimit() {
        List<String> rules = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rules.add(rule("resources-" + i, ANY, "\"*\"", numbered("r", i * 32, 32)));
        }
        InvalidRequestException resources = assertThrows(InvalidRequestException.class,
                () -> PolicyDocument.parse("{\"rules\":[" + String.join(",", rules) + "]}"));
        assertEquals("/rules/2/resources", resources.field());
        assertTrue(resources.getMessage().contains("limit of " + PolicyLimits.MAX_RESOURCES
                + " distinct resource categories"), resources.getMessage());

        List<String> atLimit = atTheLimits();
        atLimit.add(rule("one-more", ANY, "\"OPEN_SESSION\"", ANY));
        InvalidRequestException entries = assertThrows(InvalidRequestException.class,
                () -> PolicyDocument.parse("{\"rules\":[" + String.join(",", atLimit) + "]}"));
        assertEquals("/rules/" + (atLimit.size() - 1), entries.field());
        assertTrue(entries.getMessage().contains("limit of " + PolicyLimits.MAX_COMPILED_ENTRIES + " compiled entries"),
                entries.getMessage());
    }

    /** Rules for every role, resource and action in {@link #atTheLimits()}. */
    private static final int EVERYONE = 42;

    /**
     * Every limit reached exactly: 64 roles and 64 resource categories, named by different rules and
     * by rules naming both, and 16,384 compiled entries.
     */
    private static List<String> atTheLimits() {
        List<String> rules = new ArrayList<>();
        rules.add(rule("low-roles", numbered("R", 0, 32), "\"*\"", ANY));                    // 192 entries
        rules.add(rule("high-roles", numbered("R", 32, 32), "\"*\"", ANY));                  // 192
        rules.add(rule("low-resources", ANY, "\"*\"", numbered("r", 0, 32)));                // 192
        rules.add(rule("high-resources", ANY, "\"*\"", numbered("r", 32, 32)));              // 192
        for (int i = 0; i < 2; i++) {
            rules.add(rule("pairs-" + i, numbered("R", 0, 32), "\"*\"", numbered("r", 0, 32))); // 2 × 6,144
        }
        rules.add(rule("pairs-2", numbered("R", 0, 32), "\"OPEN_SESSION\",\"READ_CONTENT\",\"UPLOAD_CONTENT\"",
                numbered("r", 0, 32)));                                                        // 3,072
        for (int i = 0; i < EVERYONE; i++) {
            rules.add(rule("everyone-" + i, ANY, "\"*\"", ANY));                              // 42 × 6
        }
        rules.add(rule("everyone-sessions", ANY, "\"OPEN_SESSION\",\"RENEW_SESSION\",\"READ_CONTENT\","
                + "\"UPLOAD_CONTENT\"", ANY));                                                 // 4
        return rules;
    }

    @Test
    void aDocumentAtTheLimitsCompilesInProportionToItself() {
        PolicyDocument document = PolicyDocument.parse("{\"rules\":[" + String.join(",", atTheLimits()) + "]}");
        CompiledPolicy compiled = CompiledPolicy.compile(1, document);
        assertEquals(PolicyLimits.MAX_COMPILED_ENTRIES, compiled.size());
        // Prepared cells: 6 defaults, 64 roles and 64 resource categories × 6 actions, and the
        // 32 × 32 pairs the pair rules name × 6 — never the 64 × 64 × 6 of every role with every resource.
        assertEquals(6 + 64 * 6 + 64 * 6 + 32 * 32 * 6, compiled.cells());

        // A role and a resource category named by different rules only: both rules apply, in document
        // order, from a cell joined on first use and kept.
        assertEquals(0, compiled.joinedCells());
        CompiledPolicy.Cell joined = compiled.cell("R40", AccessAction.UPLOAD_CONTENT, "r50");
        assertEquals(List.of("high-roles", "high-resources"), joined.matched().subList(0, 2));
        assertEquals(2 + EVERYONE + 1, joined.matched().size());
        assertSame(joined, compiled.cell("R40", AccessAction.UPLOAD_CONTENT, "r50"));
        assertEquals(1, compiled.joinedCells());
        assertEquals(List.of("low-roles", "low-resources", "pairs-0", "pairs-1", "pairs-2"),
                compiled.cell("R1", AccessAction.READ_CONTENT, "r2").matched().subList(0, 5));
        assertEquals(List.of("high-roles"), compiled.cell("R63", AccessAction.ADD_DEVICE, null).matched()
                .subList(0, 1));
        assertEquals(EVERYONE, compiled.cell("NOBODY", AccessAction.ADD_DEVICE, "nothing").matched().size(),
                "an unnamed role and resource take the default path: only the rules for everyone");
        compiled.cell("R40", AccessAction.UPLOAD_CONTENT, "no-such-category");
        compiled.cell("NO_SUCH_ROLE", AccessAction.UPLOAD_CONTENT, "r50");
        assertEquals(1, compiled.joinedCells(), "names no rule uses are never kept, whoever sends them");
        assertEquals(DecisionOutcome.DENY, compiled.decision(compiled.evaluate(
                compiled.cell("R40", AccessAction.UPLOAD_CONTENT, "r50"),
                new Signals(Requirements.bit(Requirement.MEMBER_ACTIVE), 0), 0)).outcome());
    }

    @Test
    void aStoredVersionOverTheLimitsDeniesEverythingAfterARestartInsteadOfTakingTheServerDown() {
        installation.policies.put(environment.id(), "{\"rules\":[" + rule("first", ANY, "\"*\"", ANY) + "]}",
                "token-policy-admin");
        // As an earlier release without limits stored it.
        installation.database.inTransaction(handle -> handle.createUpdate("INSERT INTO policy_version"
                + " (environment_id, version, document, author, created_at) VALUES (:env, 2, :document, 'earlier', 0)")
                .bind("env", environment.id()).bind("document", heapExhausting()).execute());

        PersistentPolicies restarted = installation.restartedPolicies();
        AttestedPolicyEngine engine = new AttestedPolicyEngine(restarted, installation.registry, installation.database,
                new SimpleMeterRegistry(),
                Duration.ofMinutes(15), installation.clock);
        Decision denied = engine.decide(request("R1", AccessAction.OPEN_SESSION, null));
        assertEquals(DecisionOutcome.DENY, denied.outcome());
        assertEquals(Set.of(DecisionCategory.ACCOUNT_ELIGIBILITY), denied.categories());
        assertEquals(2, denied.policyVersion(), "the stored version stays in force, denying");
        assertEquals(0, restarted.compilations(), "the stored version was not compiled");
        assertEquals(2, restarted.current(environment.id()).version());

        // A policy administrator puts a valid version, and the environment works again.
        restarted.put(environment.id(), "{\"rules\":[" + rule("again", ANY, "\"*\"", ANY) + "]}", "token-policy-admin");
        assertEquals(DecisionOutcome.ALLOW, engine.decide(request("R1", AccessAction.OPEN_SESSION, null)).outcome());
    }
}
