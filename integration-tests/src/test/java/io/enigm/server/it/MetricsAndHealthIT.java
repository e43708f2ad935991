package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * End to end against the assembled server: the Prometheus endpoint answers only with its own token
 * and counts what the API did without naming anyone; the public health answer and the owner's
 * detailed view follow the installation's checks, a provider coming and going, and a threshold
 * changed at run time through {@code conf/}; a configuration its metatype or its component refuses
 * is rolled back, and the one before it stays in force.
 */
public class MetricsAndHealthIT {

    private static Path dist;
    private static ServerProcess server;
    private static Api api;
    private static String owner;

    @BeforeClass
    public static void startServer() throws Exception {
        dist = Distributions.privateCopy();
        server = new ServerProcess(Files.createTempDirectory("enigm-e2e-metrics-"), "", dist);
        api = server.api();
        server.start();
        owner = server.secret("owner-token");
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (dist != null) {
            Distributions.delete(dist);
        }
    }

    @Test
    public void metricsNeedTheirOwnTokenAndCountRoutesDecisionsAndCommitsWithoutNamingAnyone() throws Exception {
        String metricsToken = server.secret("metrics-token");
        assertEquals("no token", 401, api.get("/metrics", null).status());
        assertEquals("an administrator's token is not the metrics token", 401, api.get("/metrics", owner).status());
        assertEquals(401, api.get("/metrics", metricsToken + "x").status());

        JsonNode environment = api.post("/api/v1/environments", owner, "{\"name\":\"Metered\"}").json();
        String env = environment.path("id").asText();
        String base = "/api/v1/environments/" + env;
        api.send("PATCH", base, owner, "application/json", "{\"newDeviceTrust\":\"TRUSTED\"}".getBytes());
        DeviceKey phone = DeviceKey.generate();
        String device = api.enrol(base, owner, "metered@enigm", phone.publicKey());
        JsonNode session = api.openSession(env, device, phone);
        assertEquals(401, api.get(base, null).status());

        Api.Answer scrape = api.get("/metrics", metricsToken);
        assertEquals(200, scrape.status());
        assertTrue(scrape.contentType(), scrape.contentType().startsWith("text/plain"));
        String text = scrape.body();
        assertHas(text, "enigm_http_requests_seconds_count\\{method=\"POST\",route=\"environment.create\",status=\"201\"} 1");
        assertHas(text, "enigm_http_requests_seconds_count\\{method=\"GET\",route=\"environment.get\",status=\"401\"} 1");
        assertHas(text, "enigm_policy_decisions_total\\{action=\"OPEN_SESSION\",outcome=\"ALLOW\"} [1-9]");
        assertHas(text, "enigm_store_commit_batch_requests_count [1-9]");
        assertHas(text, "enigm_store_commit_seconds_count\\{outcome=\"committed\"} [1-9]");
        assertHas(text, "enigm_audit_append_seconds_count [1-9]");
        assertHas(text, "enigm_job_runs_seconds_count\\{job=\"content-deletion\",outcome=\"succeeded\"} [1-9]");
        assertHas(text, "enigm_webhook_outbox_batches\\{state=\"PARKED\"} 0.0");
        assertHas(text, "jvm_memory_used_bytes\\{area=\"heap\"");
        for (String secret : new String[] {env, environment.path("serverId").asText(), owner, metricsToken, device,
                "metered@enigm", session.path("sessionToken").asText()}) {
            assertTrue("a value to look for", secret.length() > 8);
            assertFalse("the metrics never carry " + secret, text.contains(secret));
        }
    }

    @Test
    public void healthAndMetricsFollowAProviderAsItIsDeployedAndRemoved() throws Exception {
        String metricsToken = server.secret("metrics-token");
        assertEquals("the detailed view is the owner's", 401, api.get("/api/v1/health/checks", null).status());
        JsonNode checks = checks();
        assertEquals(checks.toString(), "OK", checks.path("status").asText());
        for (String core : new String[] {"store", "audit chain", "data home", "webhook outbox"}) {
            assertEquals(checks.toString(), "OK", check(checks, core).path("status").asText());
        }

        Path jar = dist.resolve("deploy").resolve("esim-provider.jar");
        Path staged = dist.resolve("esim-provider.jar.part");
        Files.copy(Path.of(System.getProperty("enigm.provider.esim")), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, jar, StandardCopyOption.ATOMIC_MOVE);
        // the registry and the check bind the provider in either order: wait for both
        JsonNode withProvider = awaitChecks(report -> "OK".equals(status(report, "provider esim")));
        assertEquals(withProvider.toString(), "OK", check(withProvider, "provider esim").path("status").asText());
        assertEquals("[\"provider\"]", check(withProvider, "provider esim").path("tags").toString());
        assertHas(api.get("/metrics", metricsToken).body(), "enigm_attestation_providers 1.0");
        assertEquals(200, api.get("/api/v1/health", null).status());

        Files.delete(jar);
        awaitChecks(report -> check(report, "provider esim") == null);
        assertHas(api.get("/metrics", metricsToken).body(), "enigm_attestation_providers 0.0");
        assertEquals(200, api.get("/api/v1/health", null).status());
    }

    @Test
    public void aCriticalCheckTurnsThePublicAnswerDownWithoutSayingWhichAndAThresholdChangesAtRunTime()
            throws Exception {
        Path config = dist.resolve("conf").resolve("io.enigm.server.health.cfg");
        // more free space than any disk has: the data home's check is critical
        Files.writeString(config, "warnFreeMegabytes=999999999\ncriticalFreeMegabytes=999999999\n");
        try {
            JsonNode down = awaitChecks(report -> report.path("status").asText().equals("CRITICAL"));
            assertEquals(down.toString(), "CRITICAL", check(down, "data home").path("status").asText());
            Api.Answer health = api.get("/api/v1/health", null);
            assertEquals(503, health.status());
            assertEquals("DOWN", health.json().path("status").asText());
            assertFalse("the public answer names no check", health.body().contains("data home"));
        } finally {
            Files.delete(config);
        }
        awaitChecks(report -> report.path("status").asText().equals("OK"));
        assertEquals(200, api.get("/api/v1/health", null).status());
    }

    @Test
    public void anInvalidConfigurationIsRefusedWithItsReasonAndThePreviousOneStaysInForce() throws Exception {
        Path config = dist.resolve("conf").resolve("io.enigm.server.health.cfg");
        try {
            Files.writeString(config, "warnFreeMegabytes=999999999\ncriticalFreeMegabytes=1\n");
            awaitChecks(report -> "WARN".equals(status(report, "data home")));
            // the guard accepts a change once its components carry it; one replaced before that is not
            // the configuration to return to
            Thread.sleep(1000);

            // out of the metatype's range
            Files.writeString(config, "warnFreeMegabytes=1\ncriticalFreeMegabytes=1\nproviderCriticalPercent=500\n");
            awaitOutput("Refused the configuration of io.enigm.server.health: providerCriticalPercent", 1);
            // in range, but refused by the component: its critical level above its warning level
            Files.writeString(config, "warnFreeMegabytes=1\ncriticalFreeMegabytes=2\n");
            awaitOutput("Refused the configuration of io.enigm.server.health: ", 2);
            assertTrue(server.output(), server.output().contains("criticalFreeMegabytes must be at least 1 and at"
                    + " most warnFreeMegabytes"));
            Thread.sleep(2500);
            assertEquals("the configuration before them is still in force", "WARN", status(checks(), "data home"));

            Files.writeString(config, "warnFreeMegabytes=2\ncriticalFreeMegabytes=1\n");
            awaitChecks(report -> "OK".equals(status(report, "data home")));
        } finally {
            Files.deleteIfExists(config);
        }
        awaitChecks(report -> report.path("status").asText().equals("OK"));
    }

    private static String status(JsonNode report, String name) {
        JsonNode check = check(report, name);
        return check == null ? null : check.path("status").asText();
    }

    /**
     * Waits, at most thirty seconds, until the server's output holds {@code line} at least {@code times}
     * times: a configuration passes FileInstall's poll and the components' restarts first, which on a
     * loaded machine took longer than ten seconds.
     */
    private static void awaitOutput(String line, int times) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.output().split(Pattern.quote(line), -1).length - 1 < times) {
            assertTrue("the server never said " + line + ":\n" + server.output(), System.nanoTime() < deadline);
            Thread.sleep(100);
        }
    }

    private static JsonNode checks() {
        Api.Answer answer = api.get("/api/v1/health/checks", owner);
        assertEquals(answer.body(), 200, answer.status());
        return answer.json();
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode check : report.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        return null;
    }

    /**
     * The detailed report once it satisfies {@code condition}, within thirty seconds: the file watcher
     * polls, and components restart with a changed configuration, slowly on a loaded machine.
     */
    private static JsonNode awaitChecks(Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode report = checks();
        while (!condition.test(report)) {
            assertTrue("health checks never became as expected: " + report, System.nanoTime() < deadline);
            // past the executor's two-second result cache
            Thread.sleep(250);
            report = checks();
        }
        return report;
    }

    private static void assertHas(String text, String line) {
        assertTrue("metrics have a line " + line, Pattern.compile("(?m)^" + line).matcher(text).find());
    }
}
