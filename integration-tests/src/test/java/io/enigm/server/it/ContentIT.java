package io.enigm.server.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.AttestedDevice;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.content.MemberContent;
import io.enigm.server.store.Database;

/**
 * Encrypted content over HTTP in a real Felix: surfaces, sizes, visibility, ranges, the policy's say
 * on every upload (report-only and enforced), lifetime and the sweeper on a short configuration, and
 * every administrative role's token against every content route, none of which yields a byte.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContentIT extends ApiFrameworkTest {

    private static final String PID = "io.enigm.server.content";
    private static final int MAX = 256 * 1024;
    private static final String MEDIA_NEEDS_POSTURE = "{\"rules\":[{\"id\":\"trusted\",\"roles\":[\"*\"],"
            + "\"actions\":[\"*\"],\"resources\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"],"
            + "\"mode\":\"enforce\"},{\"id\":\"media-posture\",\"roles\":[\"*\"],\"actions\":[\"UPLOAD_CONTENT\"],"
            + "\"resources\":[\"media\"],\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"mode\":\"%s\"}],"
            + "\"default\":\"DENY\"}";

    @Inject
    private AdminTokens tokens;
    @Inject
    private Database database;
    @Inject
    private AttestationRegistry registry;

    private String owner;
    private String auditor;
    private String env;
    private String base;
    /** Device sessions of three members of the environment. */
    private Member alice;
    private Member bob;
    private Member carol;

    private record Member(String memberId, String deviceId, String token) {
    }

    /**
     * Whether this framework's content component has the test's configuration: set once, since each
     * change restarts it and the API routes that depend on it.
     */
    private static boolean configured;

    @Before
    public void environment() throws Exception {
        if (!configured) {
            reconfigure(MemberContent.class, PID, Map.of("maxObjectBytes", (long) MAX, "inlineLimitBytes", 1024,
                    "callsMaxLifetimeSeconds", 2, "sweepIntervalSeconds", 1, "sweepChunk", 2,
                    "followerHeartbeatSeconds", 1));
            configured = true;
        }
        var minted = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "content owner");
        owner = minted.token();
        auditor = minted.id();
        env = createEnvironment("Content");
        base = "/api/v1/environments/" + env;
        alice = member(env, "alice");
        bob = member(env, "bob");
        carol = member(env, "carol");
    }

    private String createEnvironment(String name) {
        String id = api.post("/api/v1/environments", owner, "{\"name\":\"" + name + "\"}").json().path("id").asText();
        assertEquals(200, api.send("PATCH", "/api/v1/environments/" + id, owner, Map.of(),
                "{\"newDeviceTrust\":\"TRUSTED\"}").status());
        return id;
    }

    private Member member(String environmentId, String name) {
        DeviceKey key = DeviceKey.generate();
        Api.Enrolled enrolled = api.enrolMember("/api/v1/environments/" + environmentId, owner,
                name + "-" + System.nanoTime() + "@enigm", key.publicKey());
        String token = api.openSession(environmentId, enrolled.deviceId(), key).path("sessionToken").asText();
        return new Member(enrolled.memberId(), enrolled.deviceId(), token);
    }

    private Api.Answer upload(String path, Member sender, String surface, byte[] bytes, Map<String, String> more) {
        Map<String, String> headers = new java.util.HashMap<>(more);
        headers.put("X-Enigm-Surface", surface);
        return api.postBytes(path + "/content", sender.token(), headers, bytes);
    }

    private String uploaded(Member sender, String surface, byte[] bytes, Member... recipients) {
        Map<String, String> headers = recipients.length == 0 ? Map.of() : Map.of("X-Enigm-Recipients",
                String.join(",", Arrays.stream(recipients).map(Member::memberId).toList()));
        Api.Answer answer = upload(base, sender, surface, bytes, headers);
        assertEquals(answer.body(), 201, answer.status());
        String id = answer.json().path("id").asText();
        assertTrue(answer.raw().headers().firstValue("Location").orElseThrow().endsWith("/content/" + id));
        return id;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private long objects() {
        return Rows.count(database, "content_object");
    }

    @Test
    public void bytesComeBackUnchangedWithAStrongEtagRangesAndNotModified() throws Exception {
        byte[] media = random(5000);
        String id = uploaded(alice, "MEDIA", media);
        HttpResponse<byte[]> whole = api.getBytes(base + "/content/" + id, bob.token(), Map.of());
        assertEquals(200, whole.statusCode());
        assertArrayEquals(media, whole.body());
        assertEquals("application/octet-stream", whole.headers().firstValue("Content-Type").orElse(""));
        String etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(media)) + "\"";
        assertEquals(etag, whole.headers().firstValue("ETag").orElse(""));

        assertEquals(304, api.getBytes(base + "/content/" + id, bob.token(), Map.of("If-None-Match", etag))
                .statusCode());
        HttpResponse<byte[]> range = api.getBytes(base + "/content/" + id, bob.token(), Map.of("Range", "bytes=100-199"));
        assertEquals(206, range.statusCode());
        assertArrayEquals(Arrays.copyOfRange(media, 100, 200), range.body());
        assertEquals("bytes 100-199/5000", range.headers().firstValue("Content-Range").orElse(""));
        HttpResponse<byte[]> tail = api.getBytes(base + "/content/" + id, bob.token(), Map.of("Range", "bytes=-10"));
        assertArrayEquals(Arrays.copyOfRange(media, 4990, 5000), tail.body());
        HttpResponse<byte[]> outside = api.getBytes(base + "/content/" + id, bob.token(), Map.of("Range", "bytes=5000-"));
        assertEquals(416, outside.statusCode());
        assertEquals("bytes */5000", outside.headers().firstValue("Content-Range").orElse(""));
    }

    @Test
    public void aDisabledSurfaceAnOversizedBodyAndAnotherEnvironmentsIdAreRefused() {
        assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"surfaces\":[\"MESSAGES\"]}").status());
        assertEquals(List.of("MESSAGES"), List.of(api.get(base, owner).json().path("surfaces").get(0).asText()));
        JsonNode disabled = upload(base, alice, "MEDIA", random(10), Map.of()).problem(403);
        assertTrue(disabled.toString(), disabled.path("detail").asText().contains("MEDIA"));
        api.send("PATCH", base, owner, Map.of(), "{\"surfaces\":[\"MESSAGES\",\"TELEPATHY\"]}").problem(422);

        long before = objects();
        upload(base, alice, "MESSAGES", random(MAX + 1), Map.of()).problem(413);
        assertEquals(before, objects());
        assertEquals(201, upload(base, alice, "MESSAGES", random(MAX), Map.of()).status());

        String otherEnv = createEnvironment("Elsewhere");
        Member stranger = member(otherEnv, "dave");
        String theirs = uploaded(alice, "MESSAGES", random(20));
        String path = "/api/v1/environments/" + otherEnv + "/content/";
        JsonNode crossed = api.get(path + theirs, stranger.token()).problem(404);
        JsonNode missing = api.get(path + "AAAAAAAAAAAAAAAAAAAAAA", stranger.token()).problem(404);
        assertEquals(missing, crossed);
        api.get(base + "/content/" + theirs, stranger.token()).problem(401);
    }

    @Test
    public void onlySenderAndRecipientsSeeAnObjectAndTheFeedMovesOn() {
        String forBob = uploaded(alice, "MESSAGES", random(30), bob);
        String forAll = uploaded(alice, "ATTACHMENTS", random(3000));
        JsonNode bobs = api.get(base + "/content?limit=10", bob.token()).json();
        assertEquals(List.of(forBob, forAll), ids(bobs));
        assertEquals(List.of(bob.memberId()), List.of(bobs.path("items").get(0).path("recipients").get(0).asText()));
        assertEquals(List.of(forAll), ids(api.get(base + "/content", carol.token()).json()));
        api.get(base + "/content/" + forBob, carol.token()).problem(404);
        String next = bobs.path("cursor").asText();
        String newer = uploaded(carol, "MESSAGES", random(5));
        assertEquals(List.of(newer), ids(api.get(base + "/content?since=" + next, bob.token()).json()));

        api.send("DELETE", base + "/content/" + forBob, bob.token(), Map.of(), null).problem(404);
        assertEquals(204, api.send("DELETE", base + "/content/" + forBob, alice.token(), Map.of(), null).status());
        api.get(base + "/content/" + forBob, bob.token()).problem(404);
    }

    @Test
    public void callSetUpExpiresWithinItsFewSecondsAndTheSweeperErasesIt() throws Exception {
        Api.Answer call = upload(base, alice, "CALLS", random(2000), Map.of("X-Enigm-Lifetime", "3600"));
        assertEquals(call.body(), 201, call.status());
        assertTrue(call.json().path("lifetimeClamped").asBoolean());
        Instant expires = Instant.parse(call.json().path("expiresAt").asText());
        assertTrue(expires.isBefore(Instant.now().plusSeconds(3)));
        String id = call.json().path("id").asText();
        assertEquals(200, api.getBytes(base + "/content/" + id, bob.token(), Map.of()).statusCode());
        while (Instant.now().isBefore(expires)) {
            Thread.sleep(50);
        }
        api.get(base + "/content/" + id, bob.token()).problem(404);
        assertFalse(ids(api.get(base + "/content", bob.token()).json()).contains(id));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Rows.count(database, "content_object", "id = :id", Map.of("id", id)) > 0) {
            assertTrue("the sweeper erases the expired row within its interval", System.nanoTime() < deadline);
            Thread.sleep(50);
        }
    }

    @Test
    public void mediaWithoutOsPostureIsReportedUnderReportOnlyAndRefusedWhenEnforced() throws Exception {
        ServiceRegistration<AttestationProvider> posture = context.registerService(AttestationProvider.class,
                new FailingPosture(), FailingPosture.properties());
        try {
            awaitTrue("the posture provider is taken up", () -> registry.providers().stream()
                    .anyMatch(info -> info.type().equals(FailingPosture.TYPE)));
            put(String.format(MEDIA_NEEDS_POSTURE, "report-only"));
            AuditTrail trail = new AuditTrail(api, owner, auditor);
            assertEquals(201, upload(base, alice, "MEDIA", random(100), Map.of()).status());
            List<String> reported = summaries(trail.next());
            assertTrue(reported.toString(), reported.contains("content.upload ALLOWED OS_POSTURE"));
            assertTrue(reported.toString(), reported.contains("content.upload ALLOWED null"));

            put(String.format(MEDIA_NEEDS_POSTURE, "enforce"));
            long before = objects();
            JsonNode denied = upload(base, alice, "MEDIA", random(100), Map.of()).problem(403);
            assertEquals("[\"OS_POSTURE\"]", denied.path("categories").toString());
            assertEquals(before, objects());
            assertEquals(List.of("content.upload DENIED OS_POSTURE"), summaries(trail.next()));
            assertEquals("messages are not media", 201, upload(base, alice, "MESSAGES", random(100), Map.of())
                    .status());
        } finally {
            posture.unregister();
        }
    }

    @Test
    public void newObjectIdsArriveAsServerSentEventsAndAReconnectResumesAfterTheLastOne() throws Exception {
        EventReader stream = new EventReader(base + "/content/events", bob.token(), null);
        String first = uploaded(alice, "MESSAGES", random(10), bob);
        uploaded(alice, "MESSAGES", random(11), carol);
        String second = uploaded(carol, "MEDIA", random(12));
        String cursor = stream.expect(first);
        stream.expect(second);
        stream.close();

        String missed = uploaded(alice, "ATTACHMENTS", random(13), bob);
        EventReader resumed = new EventReader(base + "/content/events", bob.token(), cursor);
        resumed.expect(second);
        resumed.expect(missed);
        resumed.close();
        api.get(base + "/content/events", "not-a-session").problem(401);
    }

    @Test
    public void aRestrictedDeviceLosesContentAndItsEventStreamOnItsNextRequest() throws Exception {
        String id = uploaded(alice, "MESSAGES", random(10), bob);
        EventReader stream = new EventReader(base + "/content/events", bob.token(), null);
        assertEquals(200, api.post(base + "/devices/" + bob.deviceId() + "/trust", owner, "{\"state\":\"RESTRICTED\"}")
                .status());
        api.get(base + "/content/" + id, bob.token()).problem(401);
        api.get(base + "/content", bob.token()).problem(401);
        upload(base, bob, "MESSAGES", random(10), Map.of()).problem(401);
        stream.expectEnd();
        stream.close();
    }

    /** A server-sent event stream read line by line on a thread of its own, as an app's connection would. */
    private final class EventReader {

        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        EventReader(String path, String token, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port() + path)).header("Authorization", "Bearer " + token);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = HttpClient.newHttpClient().sendAsync(request.build(),
                    HttpResponse.BodyHandlers.ofLines());
            HttpResponse<Stream<String>> answer = response.get(10, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode());
            assertEquals("text/event-stream", answer.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
            Thread reader = new Thread(() -> answer.body().forEach(lines::add), "event-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Reads up to the next content event, which must name {@code id}; returns its event id (a cursor). */
        String expect(String id) throws InterruptedException {
            String eventId = null;
            while (true) {
                String line = lines.poll(10, TimeUnit.SECONDS);
                assertTrue("an event for " + id, line != null);
                if (line.startsWith("id: ")) {
                    eventId = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    assertEquals("{\"id\":\"" + id + "\"}", line.substring(6));
                    assertTrue(eventId != null);
                    return eventId;
                }
            }
        }

        /** Reads up to the stream's end event: its session no longer stands. */
        void expectEnd() throws InterruptedException {
            String line;
            do {
                line = lines.poll(10, TimeUnit.SECONDS);
                assertTrue("the stream ends", line != null);
            } while (!line.equals("event: end"));
        }

        void close() {
            response.join().body().close();
        }
    }

    private void put(String policy) {
        assertEquals(200, api.send("PUT", base + "/policy", owner, Map.of(), policy).status());
    }

    /**
     * Every content route of the served document, called with each administrative role's token on a
     * fresh object: no answer carries a byte of the object, its recipients, or its etag.
     */
    @Test
    public void noAdministrativeTokenReadsAByteOfContentOnAnyContentRoute() throws Exception {
        List<String[]> routes = new ArrayList<>();
        JsonNode paths = api.get("/api/v1/openapi.json", null).json().path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            if (path.getKey().contains("/content")) {
                path.getValue().fieldNames().forEachRemaining(method -> routes.add(new String[] {method.toUpperCase(),
                        path.getKey()}));
            }
        }
        assertEquals(8, routes.size());
        byte[] marker = "content-canary-7f3a9c".getBytes(StandardCharsets.UTF_8);
        Map<String, String> others = Map.of("alice", alice.deviceId());
        long byOthers = Rows.count(database, "content_object", "sender_device <> :alice", others);
        for (AdminRole role : AdminRole.values()) {
            String token = tokens.mint(role, role.isInstallationWide() ? null : env, Duration.ofHours(1),
                    "content " + role).token();
            for (String[] route : routes) {
                byte[] secret = new byte[4096];
                new Random().nextBytes(secret);
                System.arraycopy(marker, 0, secret, 100, marker.length);
                String id = uploaded(alice, "ATTACHMENTS", secret, bob);
                String path = route[1].replace("{env}", env).replace("{content}", id)
                        .replace("{job}", "no-such-job");
                HttpResponse<byte[]> answer = route[0].equals("POST")
                        ? null : api.getBytesAs(route[0], "/api/v1" + path, token);
                byte[] body = route[0].equals("POST") ? api.postBytes("/api/v1" + path, token,
                        Map.of("X-Enigm-Surface", "ATTACHMENTS"), secret).body().getBytes(StandardCharsets.UTF_8)
                        : answer.body();
                String what = role + " " + route[0] + " " + route[1];
                String text = new String(body, StandardCharsets.ISO_8859_1);
                assertFalse(what, text.contains(new String(marker, StandardCharsets.ISO_8859_1)));
                assertFalse(what, text.contains(bob.memberId()));
                assertFalse(what, text.contains(Base64.getEncoder().encodeToString(Arrays.copyOf(secret, 30))));
                assertFalse(what + " never answers bytes", answer != null
                        && answer.headers().firstValue("Content-Type").orElse("").startsWith("application/octet"));
            }
        }
        assertEquals("no administrator stored content either", byOthers, Rows.count(database, "content_object",
                "sender_device <> :alice", others));
    }

    private static List<String> ids(JsonNode feed) {
        List<String> ids = new ArrayList<>();
        feed.path("items").forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private static List<String> summaries(List<JsonNode> records) {
        return records.stream().map(r -> r.path("action").asText() + " " + r.path("outcome").asText() + " "
                + r.path("category").asText(null)).toList();
    }

    /** An OS-posture provider that never sees acceptable posture: this device sent no evidence. */
    private static final class FailingPosture implements AttestationProvider {

        static final String TYPE = "os-posture";

        static Hashtable<String, Object> properties() {
            return new Hashtable<>(Map.of(ProviderMetadata.TYPE, TYPE, ProviderMetadata.NAME, "Failing posture",
                    ProviderMetadata.VERSION, "1.0.0", ProviderMetadata.CATEGORY, SignalCategory.OS_POSTURE.name()));
        }

        @Override
        public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
            return new Signal(SignalCategory.OS_POSTURE, SignalResult.UNKNOWN, Instant.now(), "no posture statement");
        }

        @Override
        public Set<String> operations() {
            return Set.of();
        }

        @Override
        public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> describe(AttestedDevice device) {
            return Map.of();
        }
    }
}
