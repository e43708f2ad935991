package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.AttestedDevice;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.store.Database;

/**
 * Every endpoint × every role × own environment / other environment / no token, from one table
 * written from API.md. The server's routes must match the table exactly: a new endpoint without a
 * row fails here, and so does a route whose declared roles drift from the table.
 *
 * <p>The cells run against real ids seeded in two environments: an allowed cell must answer the
 * route's documented success status (a call that consumes what it acts on gets it seeded fresh),
 * a refused one its exact refusal; an own-environment path carrying the other environment's ids
 * answers exactly what a path with missing ids answers; and every call leaves exactly one audit
 * record with its outcome and category, read back through {@code GET /audit}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuthorizationMatrixIT extends ApiFrameworkTest {

    /** Who may call what: scope and roles, as API.md says. */
    private record Rule(String scope, Set<AdminRole> roles) {
    }

    private static final Set<AdminRole> ALL = Set.of(AdminRole.values());
    private static final Set<AdminRole> ENVIRONMENT_READERS = ALL;
    private static final Set<AdminRole> ADMINISTRATORS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR);
    private static final Set<AdminRole> OWNER = Set.of(AdminRole.OWNER);
    private static final Set<AdminRole> REVIEWERS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.SECURITY_REVIEWER);
    private static final Set<AdminRole> MEMBERSHIP_ADMINS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.MEMBERSHIP_ADMIN);
    private static final Set<AdminRole> DEVICE_ADMINS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.DEVICE_ADMIN);
    private static final Set<AdminRole> POLICY_ADMINS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.POLICY_ADMIN);
    private static final Set<AdminRole> CONTENT_ADMINS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.CONTENT_ADMIN);

    private static final Map<String, Rule> TABLE = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /health", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /providers", new Rule("ANY_SCOPE", ALL)),
            Map.entry("GET /environments/{env}/devices/{device}/attestations", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/devices/{device}/attestations/{type}",
                    new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/devices/{device}/attestations/{type}/callback",
                    new Rule("PUBLIC", Set.of())),
            Map.entry("GET /openapi.json", new Rule("PUBLIC", Set.of())),
            Map.entry("POST /admin-tokens", new Rule("ANY_SCOPE", ADMINISTRATORS)),
            Map.entry("GET /admin-tokens", new Rule("ANY_SCOPE", ADMINISTRATORS)),
            Map.entry("DELETE /admin-tokens/{token}", new Rule("ANY_SCOPE", ALL)),
            Map.entry("GET /audit", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /audit/verify", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /health/checks", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /audit/export", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /webhook/batches", new Rule("INSTALLATION", OWNER)),
            Map.entry("POST /webhook/batches/{batch}/redrive", new Rule("INSTALLATION", OWNER)),
            Map.entry("POST /environments", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /environments", new Rule("ANY_SCOPE", ALL)),
            Map.entry("GET /environments/{env}", new Rule("ENVIRONMENT", ENVIRONMENT_READERS)),
            Map.entry("PATCH /environments/{env}", new Rule("ENVIRONMENT", ADMINISTRATORS)),
            Map.entry("POST /environments/{env}/lifecycle", new Rule("ENVIRONMENT", ADMINISTRATORS)),
            Map.entry("PUT /environments/{env}/legal-hold", new Rule("ENVIRONMENT", OWNER)),
            Map.entry("DELETE /environments/{env}/legal-hold", new Rule("ENVIRONMENT", OWNER)),
            Map.entry("PUT /environments/{env}/members/{member}/legal-hold", new Rule("ENVIRONMENT", OWNER)),
            Map.entry("DELETE /environments/{env}/members/{member}/legal-hold", new Rule("ENVIRONMENT", OWNER)),
            Map.entry("PUT /pin", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /environments/{env}/audit", new Rule("ENVIRONMENT", REVIEWERS)),
            Map.entry("GET /environments/{env}/audit/export", new Rule("ENVIRONMENT", REVIEWERS)),
            Map.entry("GET /environments/{env}/security-events", new Rule("ENVIRONMENT", REVIEWERS)),
            Map.entry("GET /security-events", new Rule("INSTALLATION", Set.of(AdminRole.OWNER,
                    AdminRole.SECURITY_REVIEWER))),
            Map.entry("POST /join-requests", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /join-requests/{request}", new Rule("PUBLIC", Set.of())),
            Map.entry("DELETE /join-requests/{request}", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /environments/{env}/join-requests", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/join-requests/{request}/approve",
                    new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/join-requests/{request}/reject",
                    new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/invites", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("GET /environments/{env}/invites", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("DELETE /environments/{env}/invites/{invite}", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("GET /environments/{env}/members", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("GET /environments/{env}/members/{member}", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("PATCH /environments/{env}/members/{member}", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("DELETE /environments/{env}/members/{member}", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/members/{member}/closure", new Rule("ENVIRONMENT",
                    MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/sessions/challenge", new Rule("PUBLIC", Set.of())),
            Map.entry("POST /environments/{env}/sessions", new Rule("PUBLIC", Set.of())),
            Map.entry("POST /environments/{env}/sessions/{session}/renew", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /environments/{env}/directory", new Rule("PUBLIC", Set.of())),
            Map.entry("POST /environments/{env}/devices", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /environments/{env}/devices", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("GET /environments/{env}/devices/{device}", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/devices/{device}/trust", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/devices/{device}/replace", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("DELETE /environments/{env}/devices/{device}", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("GET /environments/{env}/policy", new Rule("ENVIRONMENT", POLICY_ADMINS)),
            Map.entry("PUT /environments/{env}/policy", new Rule("ENVIRONMENT", POLICY_ADMINS)),
            Map.entry("GET /environments/{env}/policy/versions", new Rule("ENVIRONMENT", POLICY_ADMINS)),
            Map.entry("POST /environments/{env}/policy/simulate", new Rule("ENVIRONMENT", POLICY_ADMINS)),
            Map.entry("GET /environments/{env}/sessions", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/content", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /environments/{env}/content", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /environments/{env}/content/{content}", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /environments/{env}/content/events", new Rule("PUBLIC", Set.of())),
            // also its sender's session: ContentIT
            Map.entry("DELETE /environments/{env}/content/{content}", new Rule("ENVIRONMENT", CONTENT_ADMINS)),
            Map.entry("GET /environments/{env}/content/stats", new Rule("ENVIRONMENT", CONTENT_ADMINS)),
            Map.entry("POST /environments/{env}/content/deletions", new Rule("ENVIRONMENT", CONTENT_ADMINS)),
            Map.entry("GET /environments/{env}/content/deletions/{job}", new Rule("ENVIRONMENT", CONTENT_ADMINS)),
            Map.entry("DELETE /environments/{env}/sessions/{session}", new Rule("ENVIRONMENT", DEVICE_ADMINS))));


    private static final String PIN = "284716";
    /** Shaped like the server's ids, naming nothing. */
    private static final String MISSING = "AAAAAAAAAAAAAAAAAAAAAA";
    private static final String PERMISSIVE = "{\"rules\":[{\"id\":\"trusted\",\"roles\":[\"*\"],"
            + "\"actions\":[\"*\"],\"resources\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"],"
            + "\"mode\":\"enforce\"}],\"default\":\"DENY\"}";
    private static final String SIMULATION = "{\"action\":\"OPEN_SESSION\",\"memberRole\":\"MEMBER\","
            + "\"memberActive\":true,\"deviceTrusted\":true}";

    /** A route as the server's OpenAPI document describes it. */
    private record Endpoint(String method, String template, String action, int success, boolean confirmed,
            Rule rule) {

        String name() {
            return method + " " + template;
        }

        boolean inEnvironment() {
            return template.contains("{env}");
        }

        /** Whether a path parameter other than the environment names something. */
        boolean namesThings() {
            return template.replace("{env}", "").replace("{type}", "").contains("{");
        }

        boolean admits(AdminRole role) {
            return rule.roles().contains(role) && (!rule.scope().equals("INSTALLATION") || role.isInstallationWide());
        }
    }

    /** One call: the path parameters besides {@code env}, the JSON body or {@code null}, what to undo after it. */
    private record Request(Map<String, String> ids, String body, Runnable undo) {

        static Request of(Map<String, String> ids, String body) {
            return new Request(ids, body, () -> { });
        }

        Request missing() {
            Map<String, String> none = new HashMap<>();
            ids.forEach((name, id) -> none.put(name, name.equals("type") ? id : MISSING));
            return new Request(none, body, undo);
        }
    }

    /** What a cell must answer, and the outcome and category of the one audit record it leaves. */
    private record Expected(int status, String outcome, String category) {
    }

    /** How to call a route successfully in one environment, as a role. */
    @FunctionalInterface
    private interface Recipe {
        Request prepare(Seeded environment, AdminRole role);
    }

    @Inject
    private AdminTokens tokens;
    @Inject
    private AttestationRegistry registry;
    @Inject
    private Database database;

    private final AtomicInteger accounts = new AtomicInteger();
    private final Map<AdminRole, MintedToken> tokenOf = new EnumMap<>(AdminRole.class);
    private String seeder;
    private AuditTrail trail;

    @Test
    public void theServedRoutesAreExactlyTheTableAndDeclareItsRoles() {
        Map<String, Rule> served = new TreeMap<>();
        JsonNode paths = api.get("/api/v1/openapi.json", null).json().path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> operation = ops.next();
                Set<AdminRole> roles = new TreeSet<>();
                operation.getValue().path("x-enigm-roles").forEach(r -> roles.add(AdminRole.valueOf(r.asText())));
                served.put(operation.getKey().toUpperCase() + " " + path.getKey(), new Rule(
                        operation.getValue().path("x-enigm-scope").asText("PUBLIC"), Set.copyOf(roles)));
            }
        }
        assertEquals("endpoints without a row, or rows without an endpoint", TABLE.keySet(), served.keySet());
        TABLE.forEach((endpoint, rule) -> assertEquals(endpoint, rule, served.get(endpoint)));
    }

    @Test
    public void everyCellAnswersExactlyAndLeavesOneAuditRecord() throws InterruptedException {
        ServiceRegistration<AttestationProvider> probe = context.registerService(AttestationProvider.class,
                new ProbeProvider(), ProbeProvider.properties());
        try {
            MintedToken auditor = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "matrix auditor");
            seeder = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "matrix seeder").token();
            setPin();
            Seeded own = new Seeded("Own");
            Seeded other = new Seeded("Other");
            for (AdminRole role : AdminRole.values()) {
                tokenOf.put(role, tokens.mint(role, role.isInstallationWide() ? null : own.id, Duration.ofHours(1),
                        "matrix " + role));
            }
            awaitProbe();
            trail = new AuditTrail(api, auditor.token(), auditor.id());
            Map<String, Recipe> recipes = recipes(own);
            List<String> failures = new ArrayList<>();
            for (Endpoint endpoint : endpoints()) {
                if (endpoint.rule().scope().equals("PUBLIC")) {
                    continue;
                }
                Recipe recipe = recipes.get(endpoint.name());
                if (recipe == null) {
                    failures.add(endpoint.name() + ": no recipe says how to call it successfully");
                    continue;
                }
                cells(failures, endpoint, recipe, own, other);
            }
            assertTrue(failures.size() + " cells failed:\n" + String.join("\n", failures), failures.isEmpty());
        } finally {
            probe.unregister();
        }
    }

    /**
     * The routes that take the PIN, on the action that needs it: closing an environment cannot be
     * undone, so each caller closes a fresh one. Without the PIN or with a wrong one the request is
     * refused with 403 and leaves its own FAILED/CONFIRMATION record and the PIN check's
     * pin.verify DENIED/PIN record; with it, the environment closes and one ALLOWED record is left.
     */
    @Test
    public void closingAnEnvironmentNeedsThePinAndIsAuditedExactly() {
        MintedToken auditor = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "pin auditor");
        MintedToken owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "pin owner");
        seeder = owner.token();
        setPin();
        trail = new AuditTrail(api, auditor.token(), auditor.id());
        for (AdminRole role : List.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR)) {
            Seeded closing = new Seeded("Closing by " + role);
            MintedToken caller = role == AdminRole.OWNER ? owner
                    : tokens.mint(role, closing.id, Duration.ofHours(1), "closing " + role);
            String path = closing.base + "/lifecycle";
            String close = "{\"action\":\"close\"}";
            trail.next();

            List<String> refused = List.of("environment.lifecycle FAILED CONFIRMATION " + caller.id(),
                    "pin.verify DENIED PIN");
            api.send("POST", path, caller.token(), Map.of(), close).problem(403);
            assertEquals("without the PIN", refused, pinRefusal(trail.next()));
            api.send("POST", path, caller.token(), Map.of("X-Enigm-Confirm", "000000"), close).problem(403);
            assertEquals("with a wrong PIN", refused, pinRefusal(trail.next()));

            Api.Answer closed = api.send("POST", path, caller.token(), Map.of("X-Enigm-Confirm", PIN), close);
            assertEquals(closed.body(), 200, closed.status());
            assertEquals("CLOSING", closed.json().path("state").asText());
            assertEquals(List.of("environment.lifecycle ALLOWED null " + caller.id()), summaries(trail.next()));
        }
    }

    /**
     * The installation-wide SECURITY_REVIEWER (a SECURITY_REVIEWER token without an environment, which
     * only the owner mints) reads the installation's feed and every environment's audit and events, and
     * nothing else. An environment's reviewer meets the feed as any environment token meets an
     * installation route, and another environment as one that does not exist; each such attempt is a
     * TOKEN_OUTSIDE_SCOPE event of its own environment, which names no other.
     */
    @Test
    public void anInstallationWideReviewerReadsTheFeedAndEveryEnvironmentAndNothingElse() {
        seeder = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "review seeder").token();
        Seeded first = new Seeded("Reviewed first");
        Seeded second = new Seeded("Reviewed second");
        String mint = "{\"role\":\"SECURITY_REVIEWER\",\"ttlSeconds\":600,\"label\":\"installation reviewer\"}";
        MintedToken administrator = tokens.mint(AdminRole.ADMINISTRATOR, first.id, Duration.ofHours(1), "first admin");
        api.post("/api/v1/admin-tokens", administrator.token(), mint).problem(403);
        Api.Answer minted = api.post("/api/v1/admin-tokens", seeder, mint);
        assertEquals(minted.body(), 201, minted.status());
        assertTrue(minted.body(), minted.json().path("environmentId").isNull());
        String reviewer = minted.json().path("token").asText();

        assertEquals(200, api.get("/api/v1/security-events", reviewer).status());
        for (Seeded environment : List.of(first, second)) {
            assertEquals(environment.id, 200, api.get(environment.base + "/security-events", reviewer).status());
            assertEquals(environment.id, 200, api.get(environment.base + "/audit", reviewer).status());
            api.get(environment.base + "/members", reviewer).problem(403);
        }
        api.get("/api/v1/audit", reviewer).problem(403);
        api.send("PATCH", first.base, reviewer, Map.of(), "{\"name\":\"renamed\"}").problem(403);

        MintedToken scoped = tokens.mint(AdminRole.SECURITY_REVIEWER, first.id, Duration.ofHours(1), "first reviewer");
        assertEquals(200, api.get(first.base + "/security-events", scoped.token()).status());
        api.get("/api/v1/security-events", scoped.token()).problem(403);
        api.get(second.base + "/security-events", scoped.token()).problem(404);
        api.get("/api/v1/security-events?environment=" + second.id, scoped.token()).problem(403);
        List<String> outside = new ArrayList<>();
        api.get("/api/v1/security-events?category=TOKEN_OUTSIDE_SCOPE&environment=" + first.id, reviewer).json()
                .path("items").forEach(event -> outside.add(event.path("subjectHandle").asText()));
        assertEquals("the three attempts, each naming the reviewer's token", List.of(scoped.id(), scoped.id(),
                scoped.id()), outside);
        assertEquals("the other environment's events say nothing of them", 0, api.get(second.base
                + "/security-events?category=SUSPICIOUS_ACTIVITY", reviewer).json().path("items").size());
    }

    /** A filter that names nothing is a 400, on the installation's feed and on one environment's list. */
    @Test
    public void badSecurityEventFiltersAreRefused() {
        seeder = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "filter seeder").token();
        Seeded environment = new Seeded("Filtered");
        for (String query : List.of("class=SEVERE", "class=high", "category=NOPE", "environment=%25%25",
                "class=HIGH&class=LOW")) {
            JsonNode problem = api.get("/api/v1/security-events?" + query, seeder).problem(400);
            assertTrue(query + ": " + problem, problem.path("detail").asText().length() > 0);
        }
        api.get(environment.base + "/security-events?category=SOMETHING_ELSE", seeder).problem(400);
        JsonNode lifecycle = api.get(environment.base + "/security-events?category=DEVICE_LIFECYCLE&class=LOW",
                seeder).json().path("items");
        assertTrue("the seeded member's device was enrolled: " + lifecycle, lifecycle.size() > 0);
        lifecycle.forEach(event -> {
            assertEquals(event.toString(), "DEVICE_LIFECYCLE", event.path("group").asText());
            assertEquals(event.toString(), "LOW", event.path("risk").asText());
        });
        JsonNode scoped = api.get("/api/v1/security-events?environment=" + environment.id, seeder).json().path("items");
        assertTrue(scoped.size() > 0);
        scoped.forEach(event -> assertEquals(event.toString(), environment.id, event.path("environmentId").asText()));
    }

    /** Sets the installation's PIN, or sets it again where the other test of this class already did. */
    private void setPin() {
        Api.Answer first = api.send("PUT", "/api/v1/pin", seeder, Map.of(), "{\"pin\":\"" + PIN + "\"}");
        if (first.status() != 204) {
            Api.Answer again = api.send("PUT", "/api/v1/pin", seeder, Map.of(),
                    "{\"pin\":\"" + PIN + "\",\"currentPin\":\"" + PIN + "\"}");
            assertEquals(again.body(), 204, again.status());
        }
    }

    /** The records of a refused PIN, the PIN check's without its actor (the request's record names it). */
    private static List<String> pinRefusal(List<JsonNode> records) {
        return summaries(records).stream().map(s -> s.replaceAll("^(pin\\.verify DENIED PIN) .*", "$1")).sorted()
                .toList();
    }

    private static List<String> summaries(List<JsonNode> records) {
        return records.stream().map(r -> r.path("action").asText() + " " + r.path("outcome").asText() + " "
                + r.path("category").asText(null) + " " + r.path("actor").asText(null)).toList();
    }

    /** Every cell of one route: no token, each role at home and next door, and the other environment's ids. */
    private void cells(List<String> failures, Endpoint endpoint, Recipe recipe, Seeded own, Seeded other) {
        cell(failures, endpoint.name() + " without a token", endpoint, own, recipe.prepare(own, AdminRole.OWNER), null,
                new Expected(401, "DENIED", "AUTHENTICATION"));
        for (AdminRole role : AdminRole.values()) {
            Expected expected;
            if (endpoint.admits(role)) {
                expected = allowed(endpoint, role);
            } else {
                expected = new Expected(403, "DENIED", endpoint.rule().scope().equals("INSTALLATION") ? "SCOPE" : "ROLE");
            }
            cell(failures, endpoint.name() + " as " + role, endpoint, own, recipe.prepare(own, role), role, expected);
            if (!endpoint.inEnvironment()) {
                continue;
            }
            if (role.isInstallationWide()) {
                cell(failures, endpoint.name() + " as " + role + " in the other environment", endpoint, other,
                        recipe.prepare(other, role), role, allowed(endpoint, role));
            } else {
                Expected hidden = new Expected(404, "DENIED", "SCOPE");
                JsonNode next = cell(failures, endpoint.name() + " as " + role + " in the other environment", endpoint,
                        other, recipe.prepare(other, role), role, hidden);
                JsonNode nowhere = cell(failures, endpoint.name() + " as " + role + " in no environment", endpoint,
                        new Seeded(MISSING), recipe.prepare(other, role).missing(), role, hidden);
                same(failures, endpoint.name() + " as " + role + ": another environment and none", next, nowhere);
            }
        }
        if (endpoint.namesThings()) {
            for (AdminRole role : List.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR)) {
                if (!endpoint.inEnvironment() && role.isInstallationWide()) {
                    continue; // the owner reaches every environment's things: nothing is foreign to it
                }
                if (!endpoint.admits(role)) {
                    continue; // refused by its role before any id is looked at, as the cells above check
                }
                Request foreign = recipe.prepare(other, AdminRole.OWNER);
                Expected notFound = new Expected(404, "FAILED", "NOT_FOUND");
                JsonNode crossed = cell(failures, endpoint.name() + " as " + role + " with the other environment's ids",
                        endpoint, own, foreign, role, notFound);
                JsonNode missing = cell(failures, endpoint.name() + " as " + role + " with missing ids", endpoint, own,
                        foreign.missing(), role, notFound);
                same(failures, endpoint.name() + " as " + role + ": another environment's id and a missing one",
                        crossed, missing);
            }
        }
    }

    /**
     * What an admitted role gets: the documented success, except where the route's own rule refuses
     * it after admission (only its issuer or the owner revokes a token, and only these two issue any).
     */
    private static Expected allowed(Endpoint endpoint, AdminRole role) {
        if (endpoint.name().equals("DELETE /admin-tokens/{token}") && !role.mayGrant(AdminRole.SECURITY_REVIEWER)) {
            return new Expected(403, "FAILED", "ROLE");
        }
        return new Expected(endpoint.success(), "ALLOWED", null);
    }

    /** Runs one cell and checks its answer and its audit record; returns the answer's body as JSON, if any. */
    private JsonNode cell(List<String> failures, String what, Endpoint endpoint, Seeded environment, Request request,
            AdminRole role, Expected expected) {
        trail.next();
        String path = "/api/v1" + endpoint.template().replace("{env}", environment.id);
        for (Map.Entry<String, String> id : request.ids().entrySet()) {
            path = path.replace("{" + id.getKey() + "}", id.getValue());
        }
        Map<String, String> headers = endpoint.confirmed() ? Map.of("X-Enigm-Confirm", PIN) : Map.of();
        String token = role == null ? null : tokenOf.get(role).token();
        Api.Answer answer = api.send(endpoint.method(), path, token, headers, request.body());
        List<JsonNode> records = trail.next();
        request.undo().run();
        JsonNode body = answer.contentType().startsWith("application/") && !answer.body().isEmpty()
                && !answer.contentType().startsWith("application/jsonl") ? answer.json() : null;
        if (answer.status() != expected.status()) {
            failures.add(what + ": " + answer.status() + ", expected " + expected.status() + " " + answer.body());
            return body;
        }
        if (expected.status() >= 400) {
            try {
                answer.problem(expected.status());
            } catch (AssertionError e) {
                failures.add(what + ": not a problem: " + e.getMessage());
            }
        }
        audited(failures, what, endpoint, environment, role, expected, records);
        return body;
    }

    private void audited(List<String> failures, String what, Endpoint endpoint, Seeded environment, AdminRole role,
            Expected expected, List<JsonNode> records) {
        // Refusals without a token are recorded in bounded form, aggregated when they come in floods: the
        // counts of the earlier cells' refusals are written when the refusal window ends, into whichever
        // cell runs then, so they are set apart from the cell's own records.
        // What the system records on its own (a deletion job's completion, the expiry sweep) is no cell's.
        records = records.stream().filter(r -> !"system".equals(r.path("actor").asText())).toList();
        List<JsonNode> unauthenticated = records.stream().filter(r -> r.path("actor").isNull()
                && "DENIED".equals(r.path("outcome").asText())
                && "AUTHENTICATION".equals(r.path("category").asText())).toList();
        if (role == null) {
            // Only refusals here, and this request's own at most once.
            if (unauthenticated.size() != records.size() || unauthenticated.stream()
                    .filter(r -> endpoint.action().equals(r.path("action").asText())).count() > 1) {
                failures.add(what + ": audited as " + records);
            }
            return;
        }
        records = records.stream().filter(r -> !unauthenticated.contains(r)).toList();
        if (records.size() != 1) {
            failures.add(what + ": " + records.size() + " audit records, expected one: " + records);
            return;
        }
        JsonNode record = records.get(0);
        Map<String, String> seen = new TreeMap<>();
        Map<String, String> wanted = new TreeMap<>();
        seen.put("actor", record.path("actor").asText(null));
        wanted.put("actor", tokenOf.get(role).id());
        seen.put("role", record.path("role").asText(null));
        wanted.put("role", role.name());
        seen.put("action", record.path("action").asText(null));
        wanted.put("action", endpoint.action());
        seen.put("outcome", record.path("outcome").asText(null));
        wanted.put("outcome", expected.outcome());
        seen.put("category", record.path("category").asText(null));
        wanted.put("category", expected.category());
        if (endpoint.inEnvironment() && !"SCOPE".equals(expected.category())) {
            seen.put("environmentId", record.path("environmentId").asText(null));
            wanted.put("environmentId", environment.id);
        }
        if (!seen.equals(wanted)) {
            failures.add(what + ": audited " + seen + ", expected " + wanted);
        }
    }

    private static void same(List<String> failures, String what, JsonNode one, JsonNode other) {
        if (!Objects.equals(one, other)) {
            failures.add(what + " answer differently: " + one + " / " + other);
        }
    }

    /** The administrative routes as the server describes them, in a stable order. */
    private List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        JsonNode paths = api.get("/api/v1/openapi.json", null).json().path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> operation = ops.next();
                JsonNode node = operation.getValue();
                Set<AdminRole> roles = new TreeSet<>();
                node.path("x-enigm-roles").forEach(r -> roles.add(AdminRole.valueOf(r.asText())));
                int success = 0;
                for (Iterator<String> statuses = node.path("responses").fieldNames(); statuses.hasNext();) {
                    int status = Integer.parseInt(statuses.next());
                    if (status >= 200 && status < 300) {
                        success = status;
                    }
                }
                boolean confirmed = node.path("parameters").toString().contains("X-Enigm-Confirm");
                endpoints.add(new Endpoint(operation.getKey().toUpperCase(), path.getKey(), node.path("operationId").asText(),
                        success, confirmed, new Rule(node.path("x-enigm-scope").asText("PUBLIC"), Set.copyOf(roles))));
            }
        }
        endpoints.sort(java.util.Comparator.comparing(Endpoint::name));
        return endpoints;
    }

    /**
     * How each administrative route is called successfully. Calls that consume what they act on
     * (approve, remove, revoke, replace…) get it seeded fresh; calls that change the environment's
     * state are undone after the cell.
     */
    /** A batch the webhook parked: what a re-drive needs, made here since no receiver is configured. */
    private String parkedBatch() {
        String id = "matrixparked" + accounts.incrementAndGet() + "-" + System.nanoTime();
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO webhook_batch (id, target, body, events,"
                + " state, attempts, next_attempt_at, created_at) VALUES (:id, 'http://127.0.0.1:9/hook', '{}', 0,"
                + " 'PARKED', 10, 0, 0)").bind("id", id).execute());
        return id;
    }

    private Map<String, Recipe> recipes(Seeded own) {
        Map<String, Recipe> recipes = new HashMap<>();
        recipes.put("GET /providers", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /environments/{env}/devices/{device}/attestations",
                (env, role) -> Request.of(Map.of("device", env.member.deviceId()), null));
        recipes.put("POST /environments/{env}/devices/{device}/attestations/{type}",
                (env, role) -> Request.of(Map.of("device", env.member.deviceId(), "type", ProbeProvider.TYPE),
                        "{\"operation\":\"touch\"}"));
        recipes.put("POST /admin-tokens", (env, role) -> Request.of(Map.of(), "{\"role\":\"SECURITY_REVIEWER\","
                + "\"environmentId\":\"" + own.id + "\",\"ttlSeconds\":600,\"label\":\"matrix minted\"}"));
        recipes.put("GET /admin-tokens", (env, role) -> Request.of(Map.of(), null));
        recipes.put("DELETE /admin-tokens/{token}", (env, role) -> Request.of(Map.of("token",
                env.leafToken(role == AdminRole.ADMINISTRATOR ? tokenOf.get(role).token() : seeder)), null));
        recipes.put("GET /audit", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /audit/verify", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /health/checks", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /audit/export", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /webhook/batches", (env, role) -> Request.of(Map.of(), null));
        recipes.put("POST /webhook/batches/{batch}/redrive", (env, role) -> Request.of(Map.of("batch", parkedBatch()),
                null));
        recipes.put("POST /environments", (env, role) -> Request.of(Map.of(), "{\"name\":\"Matrix made\"}"));
        recipes.put("GET /environments", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /environments/{env}", (env, role) -> Request.of(Map.of(), null));
        recipes.put("PATCH /environments/{env}", (env, role) -> Request.of(Map.of(), "{\"name\":\"Matrix renamed\"}"));
        recipes.put("POST /environments/{env}/lifecycle", (env, role) -> new Request(Map.of(),
                "{\"action\":\"suspend\"}", () -> env.undo("POST", "/lifecycle", "{\"action\":\"resume\"}")));
        String hold = "{\"reason\":\"Matrix case\"}";
        recipes.put("PUT /environments/{env}/legal-hold", (env, role) -> new Request(Map.of(), hold,
                () -> env.undo("DELETE", "/legal-hold", null)));
        recipes.put("DELETE /environments/{env}/legal-hold", (env, role) -> {
            env.seed("PUT", "/legal-hold", hold);
            return new Request(Map.of(), null, () -> env.undo("DELETE", "/legal-hold", null));
        });
        recipes.put("PUT /environments/{env}/members/{member}/legal-hold", (env, role) -> new Request(
                Map.of("member", env.member.memberId()), hold,
                () -> env.undo("DELETE", "/members/" + env.member.memberId() + "/legal-hold", null)));
        recipes.put("DELETE /environments/{env}/members/{member}/legal-hold", (env, role) -> {
            String held = "/members/" + env.member.memberId() + "/legal-hold";
            env.seed("PUT", held, hold);
            return new Request(Map.of("member", env.member.memberId()), null, () -> env.undo("DELETE", held, null));
        });
        recipes.put("PUT /pin", (env, role) -> Request.of(Map.of(), "{\"pin\":\"" + PIN + "\",\"currentPin\":\"" + PIN
                + "\"}"));
        recipes.put("GET /environments/{env}/audit", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /environments/{env}/audit/export", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /environments/{env}/security-events", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /security-events", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /environments/{env}/join-requests", (env, role) -> Request.of(Map.of(), null));
        recipes.put("POST /environments/{env}/join-requests/{request}/approve", (env, role) -> {
            String request = env.pendingRequest();
            return Request.of(Map.of("request", request), "{\"deviceFingerprint\":\""
                    + api.pendingFingerprint(env.base, seeder, request) + "\"}");
        });
        recipes.put("POST /environments/{env}/join-requests/{request}/reject",
                (env, role) -> Request.of(Map.of("request", env.pendingRequest()), null));
        recipes.put("POST /environments/{env}/invites", (env, role) -> Request.of(Map.of(), "{\"ttlSeconds\":3600}"));
        recipes.put("GET /environments/{env}/invites", (env, role) -> Request.of(Map.of(), null));
        recipes.put("DELETE /environments/{env}/invites/{invite}",
                (env, role) -> Request.of(Map.of("invite", env.invite()), null));
        recipes.put("GET /environments/{env}/members", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /environments/{env}/members/{member}",
                (env, role) -> Request.of(Map.of("member", env.member.memberId()), null));
        recipes.put("PATCH /environments/{env}/members/{member}",
                (env, role) -> Request.of(Map.of("member", env.member(env.account()).memberId()),
                        "{\"state\":\"SUSPENDED\"}"));
        recipes.put("DELETE /environments/{env}/members/{member}",
                (env, role) -> Request.of(Map.of("member", env.member(env.account()).memberId()), null));
        recipes.put("POST /environments/{env}/members/{member}/closure",
                (env, role) -> Request.of(Map.of("member", env.member(env.account()).memberId()), null));
        recipes.put("GET /environments/{env}/devices", (env, role) -> Request.of(Map.of(), null));
        recipes.put("GET /environments/{env}/devices/{device}",
                (env, role) -> Request.of(Map.of("device", env.member.deviceId()), null));
        recipes.put("POST /environments/{env}/devices/{device}/trust",
                (env, role) -> Request.of(Map.of("device", env.member(env.account()).deviceId()),
                        "{\"state\":\"RESTRICTED\"}"));
        recipes.put("POST /environments/{env}/devices/{device}/replace", (env, role) -> {
            String account = env.account();
            String old = env.member(account).deviceId();
            return Request.of(Map.of("device", old), "{\"newDeviceId\":\"" + env.member(account).deviceId() + "\"}");
        });
        recipes.put("DELETE /environments/{env}/devices/{device}",
                (env, role) -> Request.of(Map.of("device", env.member(env.account()).deviceId()), null));
        recipes.put("GET /environments/{env}/policy", (env, role) -> Request.of(Map.of(), null));
        recipes.put("PUT /environments/{env}/policy", (env, role) -> Request.of(Map.of(), PERMISSIVE));
        recipes.put("GET /environments/{env}/policy/versions", (env, role) -> Request.of(Map.of(), null));
        recipes.put("POST /environments/{env}/policy/simulate", (env, role) -> Request.of(Map.of(), SIMULATION));
        recipes.put("GET /environments/{env}/sessions", (env, role) -> Request.of(Map.of(), null));
        recipes.put("DELETE /environments/{env}/sessions/{session}",
                (env, role) -> Request.of(Map.of("session", env.session()), null));
        recipes.put("DELETE /environments/{env}/content/{content}",
                (env, role) -> Request.of(Map.of("content", env.content()), null));
        recipes.put("GET /environments/{env}/content/stats", (env, role) -> Request.of(Map.of(), null));
        recipes.put("POST /environments/{env}/content/deletions", (env, role) -> Request.of(Map.of(),
                env.memberDeletion()));
        recipes.put("GET /environments/{env}/content/deletions/{job}", (env, role) -> Request.of(Map.of("job",
                env.seed("POST", "/content/deletions", env.memberDeletion()).path("id").asText()), null));
        return recipes;
    }

    /** The registry takes a new provider up asynchronously. */
    private void awaitProbe() throws InterruptedException {
        awaitTrue("the probe provider is taken up",
                () -> registry.providers().stream().anyMatch(info -> info.type().equals(ProbeProvider.TYPE)));
    }

    /**
     * An environment with what the cells act on, seeded through the API by an owner: a member with a
     * trusted device and an open session. A {@code Seeded} of {@link #MISSING} names no environment.
     */
    private final class Seeded {

        final String id;
        final String base;
        final Api.Enrolled member;

        Seeded(String name) {
            if (name.equals(MISSING)) {
                id = MISSING;
                base = "/api/v1/environments/" + MISSING;
                member = null;
                return;
            }
            Api.Answer created = api.post("/api/v1/environments", seeder, "{\"name\":\"" + name + "\"}");
            assertEquals(created.body(), 201, created.status());
            id = created.json().path("id").asText();
            base = "/api/v1/environments/" + id;
            seed("PATCH", "", "{\"newDeviceTrust\":\"TRUSTED\"}");
            member = member(account());
        }

        String account() {
            return "matrix-" + accounts.incrementAndGet() + "@enigm";
        }

        /** Enrols a new device of {@code account}: a new member, or one more device of that member. */
        Api.Enrolled member(String account) {
            return api.enrolMember(base, seeder, account, DeviceKey.generate().publicKey());
        }

        String pendingRequest() {
            String serverId = api.get(base, seeder).json().path("serverId").asText();
            return api.submitJoin(serverId, account(), DeviceKey.generate().publicKey(), "Matrix").path("id").asText();
        }

        String invite() {
            return seed("POST", "/invites", "{\"ttlSeconds\":3600}").path("id").asText();
        }

        String session() {
            DeviceKey key = DeviceKey.generate();
            Api.Enrolled enrolled = api.enrolMember(base, seeder, account(), key.publicKey());
            return api.openSession(id, enrolled.deviceId(), key).path("sessionId").asText();
        }

        /** An object a new member's device uploads, for nothing but being deleted. */
        String content() {
            DeviceKey key = DeviceKey.generate();
            Api.Enrolled enrolled = api.enrolMember(base, seeder, account(), key.publicKey());
            String token = api.openSession(id, enrolled.deviceId(), key).path("sessionToken").asText();
            Api.Answer uploaded = api.postBytes(base + "/content", token, Map.of("X-Enigm-Surface", "MESSAGES"),
                    new byte[] {1, 2, 3});
            assertEquals(uploaded.body(), 201, uploaded.status());
            return uploaded.json().path("id").asText();
        }

        /** The body of a deletion job for a new member's content. */
        String memberDeletion() {
            return "{\"scope\":\"MEMBER\",\"memberId\":\"" + member(account()).memberId() + "\"}";
        }

        /** A token of this environment issued by {@code issuer}, for nothing but being revoked. */
        String leafToken(String issuer) {
            Api.Answer minted = api.post("/api/v1/admin-tokens", issuer, "{\"role\":\"SECURITY_REVIEWER\","
                    + "\"environmentId\":\"" + id + "\",\"ttlSeconds\":600,\"label\":\"matrix leaf\"}");
            assertEquals(minted.body(), 201, minted.status());
            return minted.json().path("id").asText();
        }

        /** A call on this environment's path as the seeding owner that must succeed; routes without a PIN ignore it. */
        JsonNode seed(String method, String suffix, String json) {
            Api.Answer answer = api.send(method, base + suffix, seeder, Map.of("X-Enigm-Confirm", PIN), json);
            assertTrue(method + " " + suffix + ": " + answer.body(), answer.status() / 100 == 2);
            return answer.body().isEmpty() ? null : answer.json();
        }

        /** Takes back what a cell may have changed; a cell that was refused left nothing to take back. */
        void undo(String method, String suffix, String json) {
            api.send(method, base + suffix, seeder, Map.of("X-Enigm-Confirm", PIN), json);
        }
    }

    /** A provider with one harmless operation, so that the operate route can succeed. */
    private static final class ProbeProvider implements AttestationProvider {

        static final String TYPE = "matrix-probe";

        /** What it is, as its service properties state it. */
        static Hashtable<String, Object> properties() {
            return new Hashtable<>(Map.of(ProviderMetadata.TYPE, TYPE,
                    ProviderMetadata.NAME, "Authorization matrix probe", ProviderMetadata.VERSION, "1.0.0",
                    ProviderMetadata.CATEGORY, SignalCategory.MANAGED_DEVICE.name()));
        }

        @Override
        public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
            return new Signal(SignalCategory.MANAGED_DEVICE, SignalResult.UNKNOWN, Instant.now(), "probe");
        }

        @Override
        public Set<String> operations() {
            return Set.of("touch");
        }

        @Override
        public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request) {
            return Map.of("touched", true);
        }

        @Override
        public Map<String, Object> describe(AttestedDevice device) {
            return Map.of("state", "PROBED");
        }
    }
}
