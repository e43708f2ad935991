package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.store.Database;

/**
 * Environment settings, lifecycle, legal hold and the critical-operation PIN over HTTP, inside a
 * real Felix: the state machine's answers, the PIN confirmation, problem+json on every refusal,
 * and nothing changed by a refused request.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EnvironmentLifecycleIT extends ApiFrameworkTest {

    private static final String PIN = "135790";
    private static final String HOLD = "{\"reason\":\"Case 42\"}";

    @Inject
    private AdminTokens tokens;
    @Inject
    private EnvironmentService environments;
    @Inject
    private Database database;

    private String owner;

    @Before
    public void setThePin() {
        owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        // The first test to run sets the PIN; later ones change it to itself, which needs the current one.
        Api.Answer set = api.send("PUT", "/api/v1/pin", owner, "application/json",
                ("{\"pin\":\"" + PIN + "\",\"currentPin\":\"" + PIN + "\"}").getBytes());
        assertEquals(set.body(), 204, set.status());
    }

    @Test
    public void patchChangesSettingsAndBadInputChangesNothing() {
        String env = environments.create(new NewEnvironment("Patch me", "eu-west")).id();
        String administrator = tokens.mint(AdminRole.ADMINISTRATOR, env, Duration.ofHours(1), "it admin").token();
        JsonNode changed = patch(env, administrator, "{\"name\":\"Renamed\",\"contentLifetimeDays\":7,"
                + "\"visibility\":{\"memberDirectory\":true,\"displayNames\":false},\"newDeviceTrust\":\"TRUSTED\"}")
                .json();
        assertEquals("Renamed", changed.path("name").asText());
        assertEquals("eu-west", changed.path("regionLabel").asText());
        assertEquals(7, changed.path("contentLifetimeDays").asInt());
        assertTrue(changed.path("visibility").path("memberDirectory").asBoolean());
        assertEquals("TRUSTED", changed.path("newDeviceTrust").asText());

        String before = api.get("/api/v1/environments/" + env, administrator).body();
        long auditBefore = count("audit_record");
        long environmentsBefore = count("environment");
        long keysBefore = count("environment_key");
        assertEquals("contentLifetimeDays", patch(env, administrator, "{\"contentLifetimeDays\":0}").problem(422)
                .path("field").asText());
        patch(env, administrator, "{\"contentLifetimeDays\":31}").problem(422);
        patch(env, administrator, "{\"contentLifetimeDays\":\"a week\"}").problem(400);
        assertEquals("name", patch(env, administrator, "{\"name\":\" \"}").problem(422).path("field").asText());
        patch(env, administrator, "{\"name\":\"" + "x".repeat(201) + "\"}").problem(422);
        assertEquals("newDeviceTrust", patch(env, administrator, "{\"newDeviceTrust\":\"MAYBE\"}").problem(422)
                .path("field").asText());
        patch(env, administrator, "{\"visibility\":{\"memberDirectory\":true}}").problem(422);
        patch(env, administrator, "{\"visibility\":{\"memberDirectory\":true,\"displayNames\":true,\"x\":1}}")
                .problem(400);
        assertTrue(patch(env, administrator, "{\"colour\":\"red\"}").problem(400).path("detail").asText()
                .contains("colour"));
        patch(env, administrator, "{\"name\":").problem(400);
        api.send("PATCH", "/api/v1/environments/no-such-environment", owner, "application/json",
                "{\"name\":\"x\"}".getBytes()).problem(404);
        assertEquals(before, api.get("/api/v1/environments/" + env, administrator).body());
        // Each of the 11 refusals is audited, as is the GET above; nothing else was written.
        assertEquals(auditBefore + 12, count("audit_record"));
        assertEquals(environmentsBefore, count("environment"));
        assertEquals(keysBefore, count("environment_key"));
    }

    @Test
    public void theLifecycleRunsToDeletionWithThePinAndNamesTheStateOnEveryConflict() throws Exception {
        // A grace period short enough to see it end; the default is a week.
        EnvironmentService environments = reconfigure(EnvironmentService.class,
                "io.enigm.server.environment.lifecycle", Map.of("closingGracePeriod", "PT3S"));
        String env = environments.create(new NewEnvironment("Lifecycle", null)).id();
        String administrator = tokens.mint(AdminRole.ADMINISTRATOR, env, Duration.ofHours(1), "it admin").token();

        assertEquals("SUSPENDED", lifecycle(env, administrator, "suspend", null).json().path("state").asText());
        assertTrue(lifecycle(env, administrator, "suspend", null).problem(409).path("detail").asText()
                .contains("SUSPENDED"));
        assertEquals("action", lifecycle(env, administrator, "explode", null).problem(422).path("field").asText());
        assertEquals("ACTIVE", lifecycle(env, administrator, "resume", null).json().path("state").asText());

        lifecycle(env, administrator, "close", null).problem(403);
        lifecycle(env, administrator, "close", "000000").problem(403);
        assertEquals("ACTIVE", state(env));
        JsonNode closing = lifecycle(env, administrator, "close", PIN).json();
        assertEquals("CLOSING", closing.path("state").asText());
        assertTrue(closing.hasNonNull("closingEndsAt"));

        assertTrue(patch(env, administrator, "{\"name\":\"too late\"}").problem(409).path("detail").asText()
                .contains("CLOSING"));
        assertTrue(lifecycle(env, administrator, "delete", PIN).problem(409).path("detail").asText().contains("CLOSING"));
        assertTrue(lifecycle(env, administrator, "resume", null).problem(409).path("detail").asText().contains("CLOSING"));

        // When the grace period ends, reads show CLOSED at once, before the sweeper writes it down.
        awaitTrue("the grace period ends", () -> "CLOSED".equals(state(env)));
        assertEquals("CLOSING", database.read(h -> h.createQuery("SELECT state FROM environment WHERE id = :id")
                .bind("id", env).mapTo(String.class).one()));

        assertEquals(200, holdCall("PUT", env, owner, HOLD).status());
        assertTrue(api.get("/api/v1/environments/" + env, owner).json().path("legalHold").asBoolean());
        assertTrue(lifecycle(env, administrator, "delete", PIN).problem(409).path("detail").asText()
                .contains("legal hold"));
        holdCall("PUT", env, administrator, HOLD).problem(403);
        assertEquals(204, holdCall("DELETE", env, owner, null).status());
        assertEquals(1, keyRows(env));

        assertEquals("DELETED", lifecycle(env, administrator, "delete", PIN).json().path("state").asText());
        assertEquals(0, keyRows(env));
        // The environment's own tokens stop working; the owner still sees the tombstone.
        api.get("/api/v1/environments/" + env, administrator).problem(401);
        assertEquals("DELETED", state(env));
        assertTrue(lifecycle(env, owner, "delete", PIN).problem(409).path("detail").asText().contains("DELETED"));
        holdCall("PUT", env, owner, HOLD).problem(409);
    }

    @Test
    public void settingThePinChecksItsFormatAndTheCurrentPin() {
        long auditBefore = count("audit_record");
        assertEquals("pin", putPin("{\"pin\":\"12345\",\"currentPin\":\"" + PIN + "\"}").problem(422).path("field")
                .asText());
        putPin("{\"pin\":123456}").problem(400);
        assertEquals("currentPin", putPin("{\"pin\":\"111111\"}").problem(422).path("field").asText());
        putPin("{\"pin\":\"111111\",\"currentPin\":\"000000\"}").problem(403);
        String env = environments.create(new NewEnvironment("Pin unchanged", null)).id();
        // The PIN is still the old one.
        assertEquals("CLOSING", lifecycle(env, owner, "close", PIN).json().path("state").asText());
        String administrator = tokens.mint(AdminRole.ADMINISTRATOR, env, Duration.ofHours(1), "it admin").token();
        putPin(administrator, "{\"pin\":\"111111\",\"currentPin\":\"" + PIN + "\"}").problem(403);
        // The wrong current PIN left a PIN failure record besides the request's own.
        long pinFailures = Rows.count(database, "audit_record",
                "category = 'PIN' AND action = 'pin.set' AND sequence > :after", Map.of("after", auditBefore));
        assertEquals(1, pinFailures);
    }

    @Test
    public void theOpenApiDocumentDescribesTheDomainsRefusalsAndThePinHeader() {
        JsonNode paths = api.get("/api/v1/openapi.json", null).json().path("paths");
        JsonNode lifecycle = paths.path("/environments/{env}/lifecycle").path("post");
        for (String status : new String[] {"403", "409", "422", "429"}) {
            assertTrue(status, lifecycle.path("responses").has(status));
        }
        assertTrue(lifecycle.path("parameters").toString().contains("X-Enigm-Confirm"));
        assertTrue(paths.path("/environments/{env}").path("patch").path("responses").has("409"));
        assertTrue(paths.path("/pin").path("put").path("responses").has("429"));
        assertEquals("204", paths.path("/pin").path("put").path("responses").fieldNames().next());
    }

    /** Places ({@code PUT}, with {@code json}) or lifts the environment's legal hold, with the PIN. */
    private Api.Answer holdCall(String method, String env, String token, String json) {
        return api.send(method, "/api/v1/environments/" + env + "/legal-hold", token, Map.of("X-Enigm-Confirm", PIN),
                json);
    }

    private Api.Answer patch(String env, String token, String json) {
        return api.send("PATCH", "/api/v1/environments/" + env, token, "application/json", json.getBytes());
    }

    private Api.Answer putPin(String json) {
        return putPin(owner, json);
    }

    private Api.Answer putPin(String token, String json) {
        return api.send("PUT", "/api/v1/pin", token, "application/json", json.getBytes());
    }

    private Api.Answer lifecycle(String env, String token, String action, String pin) {
        return LifecycleCalls.lifecycle(port(), env, token, action, pin);
    }

    private String state(String env) {
        return api.get("/api/v1/environments/" + env, owner).json().path("state").asText();
    }

    private long keyRows(String env) {
        return Rows.count(database, "environment_key", "environment_id = :id", Map.of("id", env));
    }

    private long count(String table) {
        return Rows.count(database, table);
    }

    /** {@code POST …/lifecycle} with the PIN header, which {@link Api} has no method for. */
    static final class LifecycleCalls {

        private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private LifecycleCalls() {
        }

        static Api.Answer lifecycle(int port, String env, String token, String action, String pin) {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/environments/" + env + "/lifecycle"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\"}"));
            if (pin != null) {
                request.header("X-Enigm-Confirm", pin);
            }
            try {
                HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Api.Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                        response.body(), response);
            } catch (java.io.IOException e) {
                throw new AssertionError("request failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
