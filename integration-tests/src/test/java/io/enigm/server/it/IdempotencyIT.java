package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
 * {@code Idempotency-Key} over HTTP on the creating routes: a retry gets the first answer and
 * creates nothing, also when the retries race; another body under the key is 422; another caller's
 * key is its own; an answer that showed a secret is never shown again; a device's upload is stored
 * once under its key, whichever of its sessions retries.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IdempotencyIT extends ApiFrameworkTest {

    private static final String KEY = "Idempotency-Key";

    @Inject
    private AdminTokens tokens;
    @Inject
    private EnvironmentService environments;
    @Inject
    private Database database;

    private String owner;

    @Before
    public void mintOwner() {
        owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
    }

    private Api.Answer create(String token, String key, String json) {
        return api.send("POST", "/api/v1/environments", token, key == null ? Map.of() : Map.of(KEY, key), json);
    }

    private long count(String table) {
        return Rows.count(database, table);
    }

    @Test
    public void aRetryGetsTheFirstAnswerAndCreatesNothing() {
        long before = count("environment");
        Api.Answer first = create(owner, "create-1", "{\"name\":\"Once\"}");
        Api.Answer retry = create(owner, "create-1", "{\"name\":\"Once\"}");
        assertEquals(first.body(), 201, first.status());
        assertEquals(201, retry.status());
        assertEquals(first.body(), retry.body());
        assertEquals(first.raw().headers().firstValue("Location"), retry.raw().headers().firstValue("Location"));
        assertEquals(before + 1, count("environment"));

        JsonNode refused = create(owner, "create-1", "{\"name\":\"Twice\"}").problem(422);
        assertEquals(KEY, refused.path("field").asText());
        assertEquals(before + 1, count("environment"));
        create(owner, "with space", "{\"name\":\"Bad key\"}").problem(400);
        assertEquals(before + 1, count("environment"));

        Api.Answer unkeyed = create(owner, null, "{\"name\":\"Once\"}");
        assertNotEquals(first.json().path("id"), unkeyed.json().path("id"));
        assertEquals(before + 2, count("environment"));
    }

    @Test
    public void anotherCallersKeyIsItsOwn() {
        String other = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it other owner").token();
        Api.Answer mine = create(owner, "shared-key", "{\"name\":\"Mine\"}");
        Api.Answer theirs = create(other, "shared-key", "{\"name\":\"Mine\"}");
        assertEquals(201, mine.status());
        assertEquals(201, theirs.status());
        assertNotEquals(mine.json().path("id"), theirs.json().path("id"));
        assertEquals(mine.body(), create(owner, "shared-key", "{\"name\":\"Mine\"}").body());
    }

    @Test
    public void concurrentRetriesCreateOnce() throws Exception {
        long before = count("environment");
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Api.Answer>> retries = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                retries.add(() -> create(owner, "raced", "{\"name\":\"Raced\"}"));
            }
            List<String> bodies = new ArrayList<>();
            for (Future<Api.Answer> answer : clients.invokeAll(retries)) {
                assertEquals(answer.get().body(), 201, answer.get().status());
                bodies.add(answer.get().body());
            }
            assertEquals(1, bodies.stream().distinct().count());
        } finally {
            clients.shutdownNow();
        }
        assertEquals(before + 1, count("environment"));
    }

    @Test
    public void aSecretShownOnceIsNotShownAgain() {
        String env = environments.create(new NewEnvironment("Secrets", null)).id();
        long tokensBefore = count("admin_token");
        String mint = "{\"role\":\"SECURITY_REVIEWER\",\"environmentId\":\"" + env
                + "\",\"ttlSeconds\":600,\"label\":\"keyed\"}";
        Api.Answer minted = api.send("POST", "/api/v1/admin-tokens", owner, Map.of(KEY, "mint-1"), mint);
        assertEquals(minted.body(), 201, minted.status());
        String token = minted.json().path("token").asText();
        Api.Answer retried = api.send("POST", "/api/v1/admin-tokens", owner, Map.of(KEY, "mint-1"), mint);
        JsonNode conflict = retried.problem(409);
        assertTrue(conflict.toString(), conflict.path("detail").asText().contains(minted.json().path("id").asText()));
        assertTrue("the token is never shown again", !retried.body().contains(token));
        assertEquals(tokensBefore + 1, count("admin_token"));

        String invites = "/api/v1/environments/" + env + "/invites";
        Api.Answer invite = api.send("POST", invites, owner, Map.of(KEY, "invite-1"), "{\"ttlSeconds\":3600}");
        assertEquals(invite.body(), 201, invite.status());
        Api.Answer again = api.send("POST", invites, owner, Map.of(KEY, "invite-1"), "{\"ttlSeconds\":3600}");
        assertTrue(again.problem(409).path("detail").asText().contains(invite.json().path("id").asText()));
        assertTrue(!again.body().contains(invite.json().path("code").asText()));
        assertEquals(1, Rows.count(database, "invite", "environment_id = :env", Map.of("env", env)));
    }

    @Test
    public void anUploadRetriedUnderItsKeyIsStoredOnceAlsoFromTheDevicesNextSession() {
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Uploads\"}").json().path("id").asText();
        String base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}").status());
        DeviceKey key = DeviceKey.generate();
        Api.Enrolled alice = api.enrolMember(base, owner, "alice-" + System.nanoTime() + "@enigm", key.publicKey());
        String session = api.openSession(env, alice.deviceId(), key).path("sessionToken").asText();
        byte[] bytes = new byte[100 * 1024];
        new java.util.Random(7).nextBytes(bytes);
        Map<String, String> headers = Map.of("X-Enigm-Surface", "ATTACHMENTS", KEY, "attachment-42");

        Api.Answer first = api.postBytes(base + "/content", session, headers, bytes);
        assertEquals(first.body(), 201, first.status());
        String next = api.openSession(env, alice.deviceId(), key).path("sessionToken").asText();
        Api.Answer retry = api.postBytes(base + "/content", next, headers, bytes);

        assertEquals(201, retry.status());
        assertEquals(first.json(), retry.json());
        assertEquals(first.raw().headers().firstValue("Location"), retry.raw().headers().firstValue("Location"));
        assertEquals(1, Rows.count(database, "content_object", "environment_id = :env", Map.of("env", env)));
        bytes[0] ^= 1;
        api.postBytes(base + "/content", next, headers, bytes).problem(422);
        api.postBytes(base + "/content", next, Map.of("X-Enigm-Surface", "ATTACHMENTS", KEY, "has space"), bytes)
                .problem(400);
        assertEquals(1, Rows.count(database, "content_object", "environment_id = :env", Map.of("env", env)));
    }

    @Test
    public void theDocumentNamesTheHeaderOnTheCreatingRoutes() {
        JsonNode openApi = api.get("/api/v1/openapi.json", null).json();
        for (String[] operation : new String[][] {{"/environments", "post"}, {"/admin-tokens", "post"},
                {"/environments/{env}/invites", "post"}, {"/environments/{env}/content", "post"},
                {"/environments/{env}/content/deletions", "post"}}) {
            assertTrue(operation[0], openApi.path("paths").path(operation[0]).path(operation[1]).path("parameters")
                    .toString().contains("#/components/parameters/Idempotency-Key"));
        }
        assertEquals("header", openApi.path("components").path("parameters").path(KEY).path("in").asText());
    }
}
