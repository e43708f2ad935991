package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.webhook.internal.Receiver;

/**
 * End to end against the assembled server: the Intelligence webhook delivers every security event
 * at least once to a receiver on loopback that checks each signature, refuses the first attempts,
 * and is down while the server restarts with batches still waiting.
 */
public class WebhookIT {

    private Path dist;
    private ServerProcess server;
    private Receiver receiver;

    @After
    public void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (receiver != null) {
            receiver.stop();
        }
        if (dist != null) {
            Distributions.delete(dist);
        }
    }

    @Test
    public void everyEventReachesTheReceiverSignedDespiteFailuresAndARestart() throws Exception {
        receiver = Receiver.start();
        receiver.failFirst(3);
        Api api = start("maxAttempts=100\n");
        String owner = server.secret("owner-token");

        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Webhook\"}").json().path("id").asText();
        String base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, "application/json",
                "{\"newDeviceTrust\":\"TRUSTED\"}".getBytes(StandardCharsets.UTF_8)).status());
        String device = api.enrol(base, owner, "webhook@enigm", DeviceKey.generate().publicKey());
        forge(api, env, device, 4);
        await(() -> receiver.eventIds().containsAll(events(api, owner)), "every event delivered after three refusals");
        assertTrue("refused first", receiver.refused() >= 3);

        byte[] key = Files.readString(server.home().resolve("secrets").resolve("webhook-secret")).trim()
                .getBytes(StandardCharsets.US_ASCII);
        assertTrue("every POST signed with the installation's webhook key", receiver.allSignedWith(key));
        Set<String> received = new HashSet<>(receiver.eventIds());
        receiver.stop();
        forge(api, env, device, 3);
        await(() -> tried(api, owner), "a batch tried while the receiver is down");
        server.stop();
        receiver = Receiver.start(receiver.port());
        server.start();
        Set<String> all = events(api, owner);
        await(() -> union(received, receiver.eventIds()).containsAll(all), () -> "every event delivered after the"
                + " restart; missing " + missing(all, union(received, receiver.eventIds())) + " of " + all.size()
                + ", outbox " + api.get("/api/v1/webhook/batches?limit=500", owner).body());
        assertTrue("signed after the restart too", receiver.allSignedWith(key));
        assertFalse("the receiver URL's own credential is never logged", server.output().contains("receiver-secret"));
    }

    @Test
    public void aParkedBatchIsShownInTheConsoleAndReDrivenFromItByTheOperator() throws Exception {
        receiver = Receiver.start();
        receiver.failFirst(Integer.MAX_VALUE);
        Api api = start("maxAttempts=2\n");
        String owner = server.secret("owner-token");
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Parked\"}").json().path("id").asText();
        forge(api, env, api.enrol("/api/v1/environments/" + env, owner, "parked@enigm",
                DeviceKey.generate().publicKey()), 1);
        Set<String> all = events(api, owner);
        await(() -> parkedEvents(api, owner) >= all.size(), "every batch parked after two attempts");
        List<String> parked = new ArrayList<>();
        api.get("/api/v1/webhook/batches?state=PARKED", owner).json().path("items")
                .forEach(batch -> parked.add(batch.path("id").asText()));

        server.awaitConsole();
        Console console = new Console(server);
        HttpResponse<String> page = console.get("/system/console/enigm-webhook");
        assertEquals(page.body(), 200, page.statusCode());
        for (String batch : parked) {
            assertTrue("each parked batch is listed: " + page.body(), page.body().contains(batch));
        }
        assertFalse("never the receiver's path or query", page.body().contains("receiver-secret"));

        receiver.failFirst(0);
        for (String batch : parked) {
            HttpResponse<String> redriven = console.post("/system/console/enigm-webhook", "batch=" + batch);
            assertEquals(redriven.body(), 302, redriven.statusCode());
        }
        await(() -> receiver.eventIds().containsAll(all), "delivered once re-driven");
        String batch = parked.get(0);
        JsonNode audit = api.get("/api/v1/audit?limit=500", owner).json().path("items");
        boolean audited = false;
        for (JsonNode record : audit) {
            audited |= record.path("action").asText().equals("webhook.batch.redrive")
                    && record.path("target").asText().equals(batch)
                    && record.path("actor").asText().equals("operator:admin");
        }
        assertTrue("the re-drive is audited with the operator as actor", audited);
    }

    private static int parkedEvents(Api api, String owner) {
        int events = 0;
        for (JsonNode batch : api.get("/api/v1/webhook/batches?state=PARKED&limit=500", owner).json().path("items")) {
            events += batch.path("events").asInt();
        }
        return events;
    }

    /** Starts the server from a private distribution whose webhook delivers to the receiver, with {@code extra} settings. */
    private Api start(String extra) throws Exception {
        dist = Distributions.privateCopy();
        Files.writeString(dist.resolve("conf").resolve("io.enigm.server.webhook.cfg"), "urls=" + receiver.url()
                + "\npollMillis=100\ninitialBackoffMillis=100\nmaxBackoffMillis=400\n" + extra);
        server = new ServerProcess(Files.createTempDirectory("enigm-e2e-webhook-"), "", dist);
        server.start();
        return server.api();
    }

    /** Session attempts signed by a key the device never enrolled: one forged-signature event each. */
    private static void forge(Api api, String env, String device, int times) {
        for (int i = 0; i < times; i++) {
            assertTrue(api.trySession(env, device, DeviceKey.generate()).status() / 100 == 4);
        }
    }

    private static Set<String> events(Api api, String owner) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            Api.Answer page = api.get("/api/v1/security-events?limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
                    owner);
            assertEquals(page.body(), 200, page.status());
            page.json().path("items").forEach(event -> ids.add(event.path("id").asText()));
            cursor = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
        } while (cursor != null);
        assertFalse("events were recorded", ids.isEmpty());
        return ids;
    }

    private static boolean tried(Api api, String owner) {
        Api.Answer pending = api.get("/api/v1/webhook/batches?state=PENDING", owner);
        assertEquals(pending.body(), 200, pending.status());
        for (JsonNode batch : pending.json().path("items")) {
            if (batch.path("attempts").asInt() > 0) {
                assertFalse("never the receiver's path or query", batch.toString().contains("receiver-secret"));
                return true;
            }
        }
        return false;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.get() + " within 20 s");
            }
            Thread.sleep(50);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }

    private static Set<String> missing(Set<String> expected, Set<String> received) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(received);
        return missing;
    }
}
