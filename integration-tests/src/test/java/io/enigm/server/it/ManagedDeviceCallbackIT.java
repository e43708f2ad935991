package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.store.Database;

/**
 * A managed-device service calls back with HMAC-signed compliance reports, no admin token: an
 * accepted report changes the device's signal and is audited; a forged, replayed, misaddressed or
 * unknown-device callback gets the same 401 and changes nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ManagedDeviceCallbackIT extends ApiFrameworkTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-characters";

    @Inject
    private AdminTokens tokens;
    @Inject
    private EnvironmentService environments;
    @Inject
    private AttestationRegistry registry;
    @Inject
    private Database database;

    @Test
    public void signedReportsAreTakenAndEverythingElseIsRefusedAlike() throws Exception {
        Bundle provider = context.installBundle(
                Path.of(System.getProperty("enigm.provider.managed-device")).toUri().toString());
        try {
            provider.start();
            configure("io.enigm.server.provider.manageddevice", Map.of("hmacSecret", SECRET));
            awaitTrue("the provider starts once configured", () -> registry.providers().stream()
                    .anyMatch(info -> info.type().equals("managed-device")));

            String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "callback owner").token();
            String env = environments.create(new NewEnvironment("Managed", null)).id();
            String base = "/api/v1/environments/" + env;
            String device = api.enrol(base, owner, "managed@enigm",
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
            String otherDevice = api.enrol(base, owner, "other@enigm",
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
            String callback = base + "/devices/" + device + "/attestations/managed-device/callback";

            String compliant = report(env, device, "COMPLIANT", Instant.now());
            JsonNode accepted = api.post(callback, null, body(compliant, sign(compliant, SECRET))).json();
            assertEquals("managed-device", accepted.path("type").asText());
            assertTrue(accepted.path("accepted").asBoolean());
            assertEquals("COMPLIANT", state(base, device, owner));
            assertEquals(1L, audited(env, device));

            long auditBefore = count("audit_record");
            String later = report(env, device, "NON_COMPLIANT", Instant.now().plusSeconds(1));
            String forOther = report(env, otherDevice, "COMPLIANT", Instant.now().plusSeconds(2));
            String stale = report(env, device, "COMPLIANT", Instant.now().minus(Duration.ofHours(1)));
            // dated ahead, it would hold off every genuine report until its date
            String ahead = report(env, device, "COMPLIANT", Instant.now().plus(Duration.ofMinutes(2)));
            Map<String, Api.Answer> refused = Map.of(
                    "replayed", api.post(callback, null, body(compliant, sign(compliant, SECRET))),
                    "forged", api.post(callback, null, body(later, sign(later, "another-secret-of-at-least-32-chars"))),
                    "tampered", api.post(callback, null, body(later.replace("NON_", ""), sign(later, SECRET))),
                    "for another device", api.post(callback, null, body(forOther, sign(forOther, SECRET))),
                    "outside the clock skew", api.post(callback, null, body(stale, sign(stale, SECRET))),
                    "dated in the future", api.post(callback, null, body(ahead, sign(ahead, SECRET))),
                    "unknown device", api.post(base + "/devices/no-such-device/attestations/managed-device/callback",
                            null, body(later, sign(later, SECRET))),
                    "unknown environment", api.post("/api/v1/environments/no-such-env/devices/" + device
                            + "/attestations/managed-device/callback", null, body(later, sign(later, SECRET))),
                    "unknown provider", api.post(base + "/devices/" + device + "/attestations/no-such/callback",
                            null, body(later, sign(later, SECRET))),
                    "not a callback operation", api.post(callback, null, "{\"operation\":\"link\"}"));
            String firstBody = null;
            for (Map.Entry<String, Api.Answer> answer : refused.entrySet()) {
                JsonNode problem = answer.getValue().problem(401);
                assertEquals(answer.getKey(), "the callback is not accepted", problem.path("detail").asText());
                firstBody = firstBody == null ? answer.getValue().body() : firstBody;
                assertEquals(answer.getKey() + " reads like every other refusal", firstBody, answer.getValue().body());
            }
            api.post(callback, null, "{\"operation\":").problem(400);
            api.post(callback, null, "{\"report\":\"{}\"}").problem(422);
            assertEquals("nothing refused is audited as taken", auditBefore, count("audit_record"));
            assertEquals("COMPLIANT", state(base, device, owner));

            assertEquals(200, api.post(callback, null, body(later, sign(later, SECRET))).status());
            assertEquals("NON_COMPLIANT", state(base, device, owner));
        } finally {
            provider.uninstall();
        }
    }

    private static String report(String env, String device, String state, Instant at) {
        ObjectNode report = Api.JSON.createObjectNode().put("environmentId", env).put("deviceId", device)
                .put("state", state).put("reportedAt", at.toString());
        return report.toString();
    }

    private static String sign(String report, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(report.getBytes(StandardCharsets.UTF_8)));
    }

    private static String body(String report, String signature) {
        return Api.JSON.createObjectNode().put("operation", "report").put("report", report)
                .put("signature", signature).toString();
    }

    private String state(String base, String device, String owner) {
        return api.get(base + "/devices/" + device + "/attestations", owner).json().path("attestations")
                .path("managed-device").path("state").asText();
    }

    private long audited(String env, String device) {
        return Rows.count(database, "audit_record",
                "environment_id = :env AND action = 'attestation.callback' AND target = :device",
                Map.of("env", env, "device", device));
    }

    private long count(String table) {
        return Rows.count(database, table);
    }
}
