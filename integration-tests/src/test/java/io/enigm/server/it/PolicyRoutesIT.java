package io.enigm.server.it;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

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

/**
 * The policy routes over HTTP inside a real Felix: the built-in version 0, an invalid document
 * refused with 422 naming its JSON pointer and changing nothing, new versions and their history,
 * and simulation with assumed signals.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
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
}
