package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

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

/**
 * The member directory over HTTP with a member device's session token: each combination of the
 * environment's visibility rules, only the caller's own environment, a revoked device refused, and
 * the administrators' member list unchanged by the rules.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MemberDirectoryIT extends ApiFrameworkTest {

    @Inject
    private AdminTokens tokens;

    private String owner;

    @Before
    public void mintOwner() {
        owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
    }

    /** An environment whose new devices are trusted, so that members can open sessions at once. */
    private String environment(String name) {
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"" + name + "\"}").json().path("id").asText();
        assertEquals(200, patch(env, "{\"newDeviceTrust\":\"TRUSTED\"}").status());
        return env;
    }

    private Api.Answer patch(String env, String json) {
        return api.send("PATCH", "/api/v1/environments/" + env, owner, "application/json",
                json.getBytes(StandardCharsets.UTF_8));
    }

    private void rules(String env, boolean memberDirectory, boolean displayNames) {
        assertEquals(200, patch(env, "{\"visibility\":{\"memberDirectory\":" + memberDirectory + ",\"displayNames\":"
                + displayNames + "}}").status());
    }

    /** A member who joined with {@code displayName}, approved by the owner. */
    private Api.Enrolled join(String env, String account, String displayName, DeviceKey key) {
        String base = "/api/v1/environments/" + env;
        String serverId = api.get(base, owner).json().path("serverId").asText();
        String request = api.submitJoin(serverId, account, key.publicKey(), displayName).path("id").asText();
        JsonNode approved = api.post(base + "/join-requests/" + request + "/approve", owner,
                "{\"deviceFingerprint\":\"" + api.pendingFingerprint(base, owner, request) + "\"}").json();
        return new Api.Enrolled(request, approved.path("memberId").asText(), approved.path("deviceId").asText());
    }

    private Api.Answer directory(String env, String token) {
        return api.get("/api/v1/environments/" + env + "/directory", token);
    }

    @Test
    public void eachCombinationOfTheRulesShowsWhatItAllowsAndNoMore() {
        String env = environment("Directory");
        DeviceKey phone = DeviceKey.generate();
        Api.Enrolled alice = join(env, "alice@directory", "Alice", phone);
        Api.Enrolled bob = join(env, "bob@directory", "Bob", DeviceKey.generate());
        String token = api.openSession(env, alice.deviceId(), phone).path("sessionToken").asText();

        rules(env, false, false);
        directory(env, token).problem(403);
        rules(env, false, true);
        assertTrue(directory(env, token).problem(403).path("detail").asText().contains("directory closed"));
        assertEquals("the administrators' view does not follow the members' rules", 2,
                api.get("/api/v1/environments/" + env + "/members", owner).json().path("items").size());

        rules(env, true, false);
        JsonNode idsOnly = directory(env, token).json().path("items");
        assertEquals(1, idsOnly.size());
        assertEquals(bob.memberId(), idsOnly.get(0).path("memberId").asText());
        assertTrue(idsOnly.toString(), idsOnly.get(0).path("displayName").isNull());
        assertTrue("no other member's name anywhere in the answer", !directory(env, token).body().contains("Bob"));

        rules(env, true, true);
        JsonNode named = directory(env, token).json().path("items");
        assertEquals(bob.memberId(), named.get(0).path("memberId").asText());
        assertEquals("Bob", named.get(0).path("displayName").asText());
    }

    @Test
    public void onlyALiveSessionOfTheEnvironmentsOwnDevicesReadsIt() {
        String env = environment("Own directory");
        rules(env, true, true);
        DeviceKey phone = DeviceKey.generate();
        Api.Enrolled alice = join(env, "alice@own", "Alice", phone);
        join(env, "bob@own", "Bob", DeviceKey.generate());
        String elsewhere = environment("Elsewhere");
        rules(elsewhere, true, true);
        DeviceKey strangerPhone = DeviceKey.generate();
        Api.Enrolled stranger = join(elsewhere, "erin@elsewhere", "Erin", strangerPhone);
        String strangerToken = api.openSession(elsewhere, stranger.deviceId(), strangerPhone).path("sessionToken")
                .asText();

        // another environment's live token is refused like any other, and raised where it belongs
        directory(env, strangerToken).problem(401);
        JsonNode raised = api.get("/api/v1/environments/" + elsewhere + "/security-events?category=TOKEN_OUTSIDE_SCOPE",
                owner).json().path("items");
        assertEquals(raised.toString(), 1, raised.size());
        assertEquals("HIGH", raised.get(0).path("risk").asText());
        assertEquals("none in the environment it was presented to", 0, api.get("/api/v1/environments/" + env
                + "/security-events?category=TOKEN_OUTSIDE_SCOPE", owner).json().path("items").size());
        directory(env, null).problem(401);
        directory(env, "not-a-session-token").problem(401);
        directory(env, owner).problem(401);

        String token = api.openSession(env, alice.deviceId(), phone).path("sessionToken").asText();
        assertEquals(200, directory(env, token).status());
        assertEquals(200, api.post("/api/v1/environments/" + env + "/devices/" + alice.deviceId() + "/trust", owner,
                "{\"state\":\"REVOKED\"}").status());
        directory(env, token).problem(401);
    }

    @Test
    public void theDocumentDeclaresTheSessionTokenForTheDirectory() {
        JsonNode operation = api.get("/api/v1/openapi.json", null).json().path("paths")
                .path("/environments/{env}/directory").path("get");
        assertEquals("[{\"sessionToken\":[]}]", operation.path("security").toString());
        assertTrue(operation.path("responses").has("403"));
    }
}
