package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.store.Database;

/**
 * The core feature inside a real Felix: every bundle active, the core services registered, and
 * the API answering over Jetty on a loopback port, with tokens minted through the service.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class CoreFeatureIT extends ApiFrameworkTest {


    @Inject
    private Database database;
    @Inject
    private AuditLog audit;
    @Inject
    private AdminTokens tokens;
    @Inject
    private EnvironmentService environments;


    @Test
    public void everyBundleOfTheCoreFeatureIsActive() {
        Set<String> expected = new HashSet<>();
        FeatureOptions.list().path("bundles").forEach(b -> expected.add(b.path("symbolicName").asText()));
        List<String> notActive = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            seen.add(bundle.getSymbolicName());
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (expected.contains(bundle.getSymbolicName()) && !fragment && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " in state " + bundle.getState());
            }
        }
        assertTrue("not active: " + notActive, notActive.isEmpty());
        assertTrue("installed: " + seen, seen.containsAll(expected));
    }

    @Test
    public void coreServicesAreRegistered() throws Exception {
        for (String service : List.of(Database.class.getName(), AuditLog.class.getName(), AdminTokens.class.getName(),
                EnvironmentService.class.getName(), "io.enigm.server.home.DataHome", "io.enigm.server.store.BatchDeletes",
                "org.osgi.service.cm.ConfigurationAdmin", "org.osgi.service.metatype.MetaTypeService")) {
            assertNotNull(service, context.getServiceReference(service));
        }
        assertEquals("the store's contract is the store bundle's own package", "io.enigm.server.store",
                FrameworkUtil.getBundle(Database.class).getSymbolicName());
        assertNotNull("the API servlet", context.getServiceReferences("jakarta.servlet.Servlet",
                "(osgi.http.whiteboard.context.select=*)"));
        // Membership, attestation records and bindings, the policy grace ledger and content offer their data for erasure.
        assertEquals(5, context.getServiceReferences("io.enigm.server.environment.EnvironmentData", null).length);
    }

    @Test
    public void servesHealthAndAnOpenApiDocumentOfTheRoutes() {
        Api.Answer health = api.get("/api/v1/health", null);
        assertEquals(200, health.status());
        assertEquals("UP", health.json().path("status").asText());
        JsonNode openApi = api.get("/api/v1/openapi.json", null).json();
        assertTrue(openApi.path("openapi").asText().startsWith("3."));
        Set<String> paths = new HashSet<>();
        openApi.path("paths").fieldNames().forEachRemaining(paths::add);
        // AuthorizationMatrixIT holds the complete list; this checks that the document is generated from it.
        assertTrue(paths.toString(), paths.containsAll(Set.of("/health", "/openapi.json", "/environments",
                "/environments/{env}")));
        assertTrue(openApi.path("paths").path("/environments").has("post"));
        assertTrue(openApi.path("components").path("schemas").has("Problem"));
        api.get("/api/v1/no-such-thing", null).problem(404);
        Api.Answer wrongMethod = api.send("DELETE", "/api/v1/health", null, null, new byte[0]);
        wrongMethod.problem(405);
        assertEquals("GET", wrongMethod.raw().headers().firstValue("Allow").orElse(""));
    }

    /** Generated clients and linters learn from the document how to call each route: nothing is left undeclared. */
    @Test
    public void everyOperationDeclaresHowItsCallerProvesItself() {
        JsonNode openApi = api.get("/api/v1/openapi.json", null).json();
        JsonNode schemes = openApi.path("components").path("securitySchemes");
        assertEquals("X-Enigm-Signature", schemes.path("deviceSignature").path("name").asText());
        assertEquals("header", schemes.path("deviceSignature").path("in").asText());
        assertEquals("bearer", schemes.path("sessionToken").path("scheme").asText());
        openApi.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            String name = operation.getKey().toUpperCase() + " " + path.getKey();
            JsonNode security = operation.getValue().path("security");
            assertTrue(name + " declares its security", security.isArray());
            security.forEach(requirement -> requirement.fieldNames().forEachRemaining(scheme ->
                    assertTrue(name + " names the defined scheme " + scheme, schemes.has(scheme))));
        }));
        Map<String, String> expected = Map.of(
                "GET /health", "[]", "GET /openapi.json", "[]", "POST /join-requests", "[]",
                "GET /join-requests/{request}", "[{\"deviceSignature\":[]}]",
                "DELETE /join-requests/{request}", "[{\"deviceSignature\":[]}]",
                "POST /environments/{env}/sessions", "[]",
                "POST /environments/{env}/sessions/{session}/renew", "[{\"sessionToken\":[]}]",
                "POST /environments/{env}/devices", "[]",
                "POST /environments/{env}/devices/{device}/attestations/{type}/callback", "[]",
                "GET /environments", "[{\"adminToken\":[]}]");
        Map<String, String> content = Map.of(
                "POST /environments/{env}/content", "[{\"sessionToken\":[]}]",
                "GET /environments/{env}/content/{content}", "[{\"sessionToken\":[]}]",
                "DELETE /environments/{env}/content/{content}", "[{\"adminToken\":[]},{\"sessionToken\":[]}]");
        java.util.stream.Stream.of(expected, content).flatMap(map -> map.entrySet().stream()).forEach(entry -> {
            String operation = entry.getKey();
            String security = entry.getValue();
            String[] parts = operation.split(" ", 2);
            assertEquals(operation, security, openApi.path("paths").path(parts[1])
                    .path(parts[0].toLowerCase()).path("security").toString());
        });
        for (String signedBody : new String[] {"/environments/{env}/sessions", "/environments/{env}/devices"}) {
            assertEquals(signedBody, "device-signed-body",
                    openApi.path("paths").path(signedBody).path("post").path("x-enigm-proof").asText());
        }
        assertEquals("provider-signed-body", openApi.path("paths")
                .path("/environments/{env}/devices/{device}/attestations/{type}/callback").path("post")
                .path("x-enigm-proof").asText());
    }

    @Test
    public void anEnvironmentsAdministratorCannotSeeAnotherEnvironmentNotEvenThatItExists() {
        Environment own = environments.create(new NewEnvironment("Own", null));
        Environment other = environments.create(new NewEnvironment("Other", null));
        MintedToken administrator = tokens.mint(AdminRole.ADMINISTRATOR, own.id(), Duration.ofHours(1), "it admin");

        assertEquals(200, api.get("/api/v1/environments/" + own.id(), administrator.token()).status());
        JsonNode otherAnswer = api.get("/api/v1/environments/" + other.id(), administrator.token()).problem(404);
        JsonNode missingAnswer = api.get("/api/v1/environments/never-existed", administrator.token()).problem(404);
        assertEquals(missingAnswer, otherAnswer);

        JsonNode listed = api.get("/api/v1/environments", administrator.token()).json();
        assertEquals(1, listed.path("items").size());
        assertEquals(own.id(), listed.path("items").get(0).path("id").asText());
        assertFalse(listed.toString().contains(other.serverId()));

        api.post("/api/v1/environments", administrator.token(), "{\"name\":\"mine now\"}").problem(403);
        api.get("/api/v1/environments", null).problem(401);
        api.get("/api/v1/environments", "enigm_at_forged").problem(401);
    }

    @Test
    public void everyAdministrativeRequestIsAuditedAllowedOrDenied() {
        MintedToken owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner");
        long before = lastSequence();
        Api.Answer created = api.post("/api/v1/environments", owner.token(), "{\"name\":\"Audited\"}");
        assertEquals(201, created.status());
        String id = created.json().path("id").asText();
        assertEquals("/api/v1/environments/" + id, created.raw().headers().firstValue("Location").orElse(""));
        api.get("/api/v1/environments/" + id, null).problem(401);
        api.get("/api/v1/environments/unknown", owner.token()).problem(404);
        // a read is answered only once its record is durable: it is there when the answer arrives
        assertEquals(200, api.get("/api/v1/environments/" + id, owner.token()).status());
        List<AuditRecord> records = audit.list(null, new PageRequest(Long.toString(before), 10)).items();
        assertEquals(4, records.size());
        assertEquals("environment.get", records.get(3).entry().action());
        assertEquals(AuditOutcome.ALLOWED, records.get(3).entry().outcome());
        assertEquals("environment.create", records.get(0).entry().action());
        assertEquals(AuditOutcome.ALLOWED, records.get(0).entry().outcome());
        assertEquals(owner.id(), records.get(0).entry().actor());
        assertEquals(id, records.get(0).entry().target());
        assertEquals(AuditOutcome.DENIED, records.get(1).entry().outcome());
        assertEquals("AUTHENTICATION", records.get(1).entry().category());
        assertEquals(AuditOutcome.FAILED, records.get(2).entry().outcome());
        assertEquals("NOT_FOUND", records.get(2).entry().category());
        for (AuditRecord record : records) {
            assertFalse("no token in the audit", record.toString().contains(owner.token()));
        }
    }

    @Test
    public void badInputIsAProblemAndChangesNothing() {
        MintedToken owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner");
        long environmentsBefore = Rows.count(database, "environment");
        String token = owner.token();

        assertEquals("malformed-json", kind(api.post("/api/v1/environments", token, "{\"name\":").problem(400)));
        assertEquals("malformed-json", kind(api.post("/api/v1/environments", token, "").problem(400)));
        assertEquals("malformed-json", kind(api.post("/api/v1/environments", token, "null").problem(400)));
        api.post("/api/v1/environments", token, "[]").problem(400);
        api.post("/api/v1/environments", token, "{\"name\": 42}").problem(400);
        api.post("/api/v1/environments", token, "{\"name\": true}").problem(400);
        api.post("/api/v1/environments", token, "{\"name\":\"a\",\"name\":\"b\"}").problem(400);
        JsonNode unknown = api.post("/api/v1/environments", token, "{\"name\":\"x\",\"admin\":true}").problem(400);
        assertTrue(unknown.path("detail").asText().contains("admin"));
        JsonNode blank = api.post("/api/v1/environments", token, "{\"name\":\"   \"}").problem(422);
        assertEquals("name", blank.path("field").asText());
        api.post("/api/v1/environments", token, "{\"name\":\"" + "x".repeat(201) + "\"}").problem(422);
        api.send("POST", "/api/v1/environments", token, "text/plain", "{\"name\":\"x\"}".getBytes()).problem(415);
        byte[] oversized = ("{\"name\":\"" + "x".repeat(70_000) + "\"}").getBytes();
        api.send("POST", "/api/v1/environments", token, "application/json", oversized).problem(413);
        api.get("/api/v1/environments?limit=0", token).problem(400);
        api.get("/api/v1/environments?limit=abc", token).problem(400);
        api.get("/api/v1/environments?cursor=not-a-cursor", token).problem(422);

        assertEquals(environmentsBefore, Rows.count(database, "environment"));
    }

    private static String kind(JsonNode problem) {
        return problem.path("type").asText().replace("urn:enigm:problem:", "");
    }

    private long lastSequence() {
        return database.read(h -> h.createQuery("SELECT COALESCE(MAX(sequence), 0) FROM audit_record")
                .mapTo(Long.class).one());
    }
}
