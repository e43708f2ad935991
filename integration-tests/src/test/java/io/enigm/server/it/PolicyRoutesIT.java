package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;

/**
 * The policy routes over HTTP inside a real Felix: the built-in version 0, an invalid document
 * refused with 422 naming its JSON pointer and changing nothing (a document over the cost limits
 * among them), new versions and their history, simulation with assumed signals, and a device
 * addition decided by the policy in force.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class PolicyRoutesIT extends ApiFrameworkTest {

    private static final String POSTURE_POLICY = "{\"rules\":[{\"id\":\"sessions\",\"roles\":[\"MEMBER\"],"
            + "\"actions\":[\"OPEN_SESSION\",\"RENEW_SESSION\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\","
            + "\"OS_POSTURE_ACCEPTABLE\"]},{\"id\":\"trial-key\",\"mode\":\"report-only\",\"roles\":[\"*\"],"
            + "\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"HARDWARE_KEY_VERIFIED\"]}]}";

    @Inject
    private AdminTokens tokens;
    @Inject
    private EnvironmentService environments;


    private Api.Answer put(String base, String token, String document) {
        return api.send("PUT", base + "/policy", token, "application/json", document.getBytes(StandardCharsets.UTF_8));
    }

    private List<Long> versions(String base, String token) {
        List<Long> versions = new ArrayList<>();
        String cursor = null;
        do {
            Api.Answer page = api.get(base + "/policy/versions?limit=1" + (cursor == null ? "" : "&cursor=" + cursor),
                    token);
            assertEquals(page.body(), 200, page.status());
            page.json().path("items").forEach(item -> versions.add(item.path("version").asLong()));
            cursor = page.json().path("next").isNull() ? null : page.json().path("next").asText();
        } while (cursor != null);
        return versions;
    }

    @Test
    public void policiesAreVersionedValidatedAndSimulated() {
        String env = environments.create(new NewEnvironment("Policy", null)).id();
        String base = "/api/v1/environments/" + env;
        String token = tokens.mint(AdminRole.POLICY_ADMIN, env, Duration.ofHours(1), "it policy").token();

        JsonNode builtIn = api.get(base + "/policy", token).json();
        assertEquals(0, builtIn.path("version").asLong());
        assertEquals("DENY", builtIn.path("document").path("default").asText());

        JsonNode refused = put(base, token, POSTURE_POLICY.replace("\"OS_POSTURE_ACCEPTABLE\"", "\"TELEPATHY\""))
                .problem(422);
        assertEquals("/rules/0/require/2", refused.path("field").asText());
        put(base, token, "{\"rules\":[]").problem(400);
        assertEquals("/rules/1/graceDays/HARDWARE_KEY_VERIFIED", put(base, token, POSTURE_POLICY.replace(
                "\"HARDWARE_KEY_VERIFIED\"]}", "\"HARDWARE_KEY_VERIFIED\"],\"graceDays\":{\"HARDWARE_KEY_VERIFIED\":3}}"))
                .problem(422).path("field").asText());
        assertEquals("nothing was stored", List.of(0L), versions(base, token));

        Api.Answer first = put(base, token, POSTURE_POLICY);
        assertEquals(first.body(), 200, first.status());
        assertEquals(1, first.json().path("version").asLong());
        JsonNode current = api.get(base + "/policy", token).json();
        assertEquals(1, current.path("version").asLong());
        assertEquals("sessions", current.path("document").path("rules").path(0).path("id").asText());
        assertEquals(2, put(base, token, POSTURE_POLICY.replace("\"sessions\"", "\"sessions-v2\""))
                .json().path("version").asLong());
        assertEquals(List.of(2L, 1L, 0L), versions(base, token));

        String hypothetical = "{\"memberRole\":\"MEMBER\",\"memberActive\":true,\"deviceTrusted\":true,"
                + "\"action\":\"OPEN_SESSION\",\"signals\":{\"OS_POSTURE\":\"%s\",\"HARDWARE_KEY\":\"FAIL\"}}";
        JsonNode allowed = api.post(base + "/policy/simulate", token, String.format(hypothetical, "PASS")).json();
        assertEquals("ALLOW", allowed.path("decision").path("outcome").asText());
        assertEquals(2, allowed.path("decision").path("policyVersion").asLong());
        assertEquals("[\"sessions-v2\",\"trial-key\"]", allowed.path("matchedRules").toString());
        assertEquals("[\"trial-key\"]", allowed.path("reportOnlyDenials").toString());
        assertEquals("[\"HARDWARE_KEY\"]", allowed.path("decision").path("warnings").toString());
        JsonNode denied = api.post(base + "/policy/simulate", token, String.format(hypothetical, "FAIL")).json();
        assertEquals("DENY", denied.path("decision").path("outcome").asText());
        assertEquals("[\"OS_POSTURE\"]", denied.path("decision").path("categories").toString());
        JsonNode unavailable = api.post(base + "/policy/simulate", token, String.format(hypothetical, "UNAVAILABLE"))
                .json();
        assertEquals("[\"ATTESTATION_UNAVAILABLE\"]", unavailable.path("decision").path("categories").toString());
        assertEquals("action", api.post(base + "/policy/simulate", token, hypothetical.replace("OPEN_SESSION", "FLY")
                .replace("%s", "PASS")).problem(422).path("field").asText());
        assertEquals("memberRole", api.post(base + "/policy/simulate", token, "{\"memberActive\":true,"
                + "\"deviceTrusted\":true,\"action\":\"OPEN_SESSION\"}").problem(422).path("field").asText());
        assertEquals(List.of(2L, 1L, 0L), versions(base, token));
    }

    @Test
    public void aDocumentOverTheLimitsOrRequiringFindingsIsRefusedNamingWhy() {
        String env = environments.create(new NewEnvironment("Limits", null)).id();
        String base = "/api/v1/environments/" + env;
        String token = tokens.mint(AdminRole.POLICY_ADMIN, env, Duration.ofHours(1), "it policy").token();
        List<String> rules = new ArrayList<>();
        for (int i = 0; i < 47; i++) {
            List<String> roles = new ArrayList<>();
            for (int j = 0; j < 32; j++) {
                roles.add("\"R" + (i * 32 + j) + "\"");
            }
            rules.add("{\"id\":\"roles-" + i + "\",\"roles\":[" + String.join(",", roles) + "],\"actions\":[\"*\"],"
                    + "\"require\":[\"MEMBER_ACTIVE\"]}");
        }
        JsonNode tooMany = put(base, token, "{\"rules\":[" + String.join(",", rules) + "]}").problem(422);
        assertEquals("/rules/2/roles", tooMany.path("field").asText());
        assertTrue(tooMany.path("detail").asText(), tooMany.path("detail").asText().contains("distinct roles"));
        JsonNode finding = put(base, token, POSTURE_POLICY.replace("\"OS_POSTURE_ACCEPTABLE\"", "\"NO_OPEN_FINDING\""))
                .problem(422);
        assertEquals("/rules/0/require/2", finding.path("field").asText());
        assertEquals(List.of(0L), versions(base, token));
    }

    @Test
    public void addingADeviceIsDecidedByThePolicyInForce() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        String env = environments.create(new NewEnvironment("Devices", null)).id();
        String base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, "application/json",
                "{\"newDeviceTrust\":\"TRUSTED\"}".getBytes(StandardCharsets.UTF_8)).status());
        DeviceKey phone = DeviceKey.generate();
        String device = api.enrol(base, owner, "alice@enigm", phone.publicKey());

        // No rule for ADD_DEVICE: denied by default.
        assertEquals(200, put(base, owner, "{\"rules\":[{\"id\":\"sessions\",\"roles\":[\"*\"],"
                + "\"actions\":[\"OPEN_SESSION\",\"RENEW_SESSION\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"]}]}")
                .status());
        JsonNode noRule = addDevice(base, device, phone).problem(403);
        assertEquals("[\"ACCOUNT_ELIGIBILITY\"]", noRule.path("categories").toString());
        // A verified Enigm Key required, and no key provider runs here: denied, failing closed.
        assertEquals(200, put(base, owner, "{\"rules\":[{\"id\":\"key-to-add\",\"roles\":[\"*\"],"
                + "\"actions\":[\"ADD_DEVICE\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\",\"HARDWARE_KEY_VERIFIED\"]}]}")
                .status());
        JsonNode noKey = addDevice(base, device, phone).problem(403);
        assertEquals("[\"ATTESTATION_UNAVAILABLE\"]", noKey.path("categories").toString());
        assertFalse("no rule text reaches the device", noKey.toString().contains("key-to-add"));
        assertEquals(1, api.get(base + "/devices", owner).json().path("items").size());

        // A policy that lets trusted devices add devices: added.
        assertEquals(200, put(base, owner, "{\"rules\":[{\"id\":\"trusted\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"]}]}").status());
        Api.Answer added = addDevice(base, device, phone);
        assertEquals(added.body(), 201, added.status());
        assertEquals(2, api.get(base + "/devices", owner).json().path("items").size());
    }

    /** A new device's key, vouched for by {@code signer} with a fresh nonce. */
    private Api.Answer addDevice(String base, String signer, DeviceKey key) {
        String env = base.substring(base.lastIndexOf('/') + 1);
        return api.post(base + "/devices", null,
                key.deviceAddition(env, signer, DeviceKey.generate(), api.challenge(env, signer)));
    }
}
