package io.enigm.server.it;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

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

/**
 * A content rule that needs OS posture, met by the real OS-posture provider: a statement signed by
 * Enigm OS's key for the session's own attempt, brought when the session opens, lets that session
 * upload media until the statement goes stale; a session opened without one cannot, and the
 * statement cannot be shown with the upload itself (it proves one session attempt only).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContentPostureIT extends ApiFrameworkTest {

    private static final String POSTURE_PID = "io.enigm.server.provider.osposture";
    /** The shortest freshness the provider allows: a statement issued this long ago is stale. */
    private static final Duration FRESHNESS = Duration.ofSeconds(60);
    private static final String MEDIA_NEEDS_POSTURE = "{\"rules\":[{\"id\":\"members\",\"roles\":[\"*\"],"
            + "\"actions\":[\"*\"],\"resources\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"]},"
            + "{\"id\":\"media-posture\",\"roles\":[\"*\"],\"actions\":[\"UPLOAD_CONTENT\"],\"resources\":[\"media\"],"
            + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"]}],\"default\":\"DENY\"}";

    @Inject
    private AdminTokens tokens;
    @Inject
    private AttestationRegistry registry;

    @Test
    public void mediaNeedsThePostureTheSessionProvedAndOnlyWhileItsSignalHolds() throws Exception {
        KeyPair enigmOs = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Bundle provider = context.installBundle(Path.of(System.getProperty("enigm.provider.os-posture")).toUri()
                .toString());
        try {
            provider.start();
            configure(POSTURE_PID, Map.of("signingPublicKey",
                    Base64.getEncoder().encodeToString(enigmOs.getPublic().getEncoded()),
                    "freshnessSeconds", (int) FRESHNESS.toSeconds()));
            awaitTrue("the posture provider is taken up", () -> registry.providers().stream()
                    .anyMatch(info -> info.type().equals("os-posture") && info.selected()));

            String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "posture owner").token();
            String env = api.post("/api/v1/environments", owner, "{\"name\":\"Posture\"}").json().path("id").asText();
            String base = "/api/v1/environments/" + env;
            assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}").status());
            assertEquals(200, api.send("PUT", base + "/policy", owner, Map.of(), MEDIA_NEEDS_POSTURE).status());
            DeviceKey key = DeviceKey.generate();
            String device = api.enrolMember(base, owner, "posture-" + System.nanoTime() + "@enigm", key.publicKey())
                    .deviceId();

            String bare = api.openSession(env, device, key).path("sessionToken").asText();
            assertEquals("[\"OS_POSTURE\"]", uploadMedia(base, bare).problem(403).path("categories").toString());

            // A statement that goes stale a few seconds from now: the session's pass lasts as long.
            Instant issued = Instant.now().minus(FRESHNESS).plusSeconds(4);
            String nonce = api.challenge(env, device);
            ObjectNode evidence = Api.JSON.createObjectNode();
            evidence.set("os-posture", statement(enigmOs, device, key, nonce, issued));
            Api.Answer opened = api.post(base + "/sessions", null, key.sessionProof(env, device, nonce, evidence));
            assertEquals(opened.body(), 201, opened.status());
            String proved = opened.json().path("sessionToken").asText();

            assertEquals(201, uploadMedia(base, proved).status());
            assertEquals("the session without a statement still may not", 403, uploadMedia(base, bare).status());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (Instant.now().isBefore(issued.plus(FRESHNESS).plusSeconds(1)) && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            JsonNode stale = uploadMedia(base, proved).problem(403);
            assertEquals("[\"OS_POSTURE\"]", stale.path("categories").toString());
            assertEquals("messages need no posture", 201, api.postBytes(base + "/content", proved,
                    Map.of("X-Enigm-Surface", "MESSAGES"), new byte[] {1, 2, 3}).status());
        } finally {
            provider.uninstall();
        }
    }

    private Api.Answer uploadMedia(String base, String session) {
        return api.postBytes(base + "/content", session, Map.of("X-Enigm-Surface", "MEDIA"), new byte[] {4, 5, 6});
    }

    /** Enigm OS's signed statement for this device key and this session attempt, fully patched. */
    private static JsonNode statement(KeyPair enigmOs, String device, DeviceKey key, String nonce, Instant issued)
            throws Exception {
        ObjectNode statement = Api.JSON.createObjectNode().put("deviceId", device)
                .put("deviceKey", key.encodedPublicKey()).put("nonce", nonce).put("osVersion", "Enigm OS 5.2")
                .put("patchDate", LocalDate.now(ZoneOffset.UTC).toString()).put("verifiedBoot", true)
                .put("issuedAt", issued.toString());
        statement.putArray("integrity");
        byte[] bytes = Api.JSON.writeValueAsBytes(statement);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(enigmOs.getPrivate());
        signer.update(bytes);
        return Api.JSON.createObjectNode().put("statement", Base64.getEncoder().encodeToString(bytes))
                .put("signature", Base64.getEncoder().encodeToString(signer.sign()));
    }
}
