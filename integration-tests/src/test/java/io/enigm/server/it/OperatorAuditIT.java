package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * End to end against the assembled server: what operators do to the running installation is in
 * the audit with the operator as actor (console logins refused and accepted, a configuration
 * changed through the console with its old and new values, a provider dropped into {@code deploy/}
 * and removed), and an administrator's update names the fields it changed. Runs on a private copy
 * of the distribution, so that no other test sees the provider.
 */
public class OperatorAuditIT {

    private static final String LIFECYCLE_PID = "io.enigm.server.environment.lifecycle";

    private static Path dist;
    private static ServerProcess server;
    private static Api api;
    private static String owner;

    @BeforeClass
    public static void startServer() throws Exception {
        dist = Distributions.privateCopy();
        server = new ServerProcess(Files.createTempDirectory("enigm-e2e-operator-"), "", dist);
        api = server.api();
        server.start();
        server.awaitConsole();
        owner = server.secret("owner-token");
        // bundle events before the framework has started belong to the server's start, not to an operator
        awaitRecord(0, r -> r.path("action").asText().equals("server.start"));
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
    public void consoleLoginsAndAConfigurationChangeThroughTheConsoleAreAuditedWithTheOperatorAsActor()
            throws Exception {
        long from = head();
        assertEquals(401, new Console(server, "wrong").get("/system/console/bundles.json").statusCode());
        Thread.sleep(600); // past the pause the console's login takes after a wrong password
        String password = server.secret("console-password");
        Console console = new Console(server);
        assertEquals(200, console.get("/system/console/bundles.json").statusCode());
        HttpResponse<String> changed = console.post("/system/console/configMgr/" + LIFECYCLE_PID,
                "apply=true&action=ajaxConfigManager&propertylist=closingGracePeriod,sweepInterval"
                        + "&closingGracePeriod=P3D&sweepInterval=PT1M");
        assertTrue("the console took the change: " + changed.statusCode(), changed.statusCode() < 400);
        awaitApiBack();

        JsonNode denied = awaitRecord(from, r -> r.path("action").asText().equals("console.login")
                && r.path("outcome").asText().equals("DENIED"));
        assertTrue("a refused login names no actor: " + denied, denied.path("actor").isNull());
        assertEquals("AUTHENTICATION", denied.path("category").asText());
        JsonNode login = awaitRecord(from, r -> r.path("action").asText().equals("console.login")
                && r.path("outcome").asText().equals("ALLOWED"));
        assertEquals("operator:admin", login.path("actor").asText());
        assertEquals("OPERATOR", login.path("role").asText());

        JsonNode configured = awaitRecord(from, r -> r.path("action").asText().equals("configuration.update")
                && r.path("target").asText().equals(LIFECYCLE_PID));
        assertEquals("the operator changed it through the console: " + configured, "operator:admin",
                configured.path("actor").asText());
        assertTrue("the key changed, with its old and new value: " + configured,
                contains(configured.path("changes"), "closingGracePeriod", null, "P3D"));
        assertFalse("the password never reaches the audit", trail(from).toString().contains(password));
    }

    @Test
    public void aProviderDroppedIntoDeployAndRemovedIsAuditedWithTheDirectoryAsActor() throws Exception {
        long from = head();
        Path jar = deployEsim("esim-provider.jar");
        JsonNode started = awaitRecord(from, esimBundle("bundle.start"));
        assertEquals("operator:deploy-directory", started.path("actor").asText());
        JsonNode installed = awaitRecord(from, esimBundle("bundle.install"));
        assertEquals("operator:deploy-directory", installed.path("actor").asText());

        Files.delete(jar);
        JsonNode removed = awaitRecord(from, esimBundle("bundle.uninstall"));
        assertEquals("operator:deploy-directory", removed.path("actor").asText());
    }

    /** Bundle events during a start are not recorded one by one: the start's record names what deploy/ holds. */
    @Test
    public void theServersStartNamesWhatTheDeployDirectoryHolds() throws Exception {
        long deployed = head();
        Path jar = deployEsim("esim-provider-at-start.jar");
        awaitRecord(deployed, esimBundle("bundle.start"));
        long removed;
        try {
            long from = head();
            server.stop();
            server.start();
            server.awaitConsole();
            JsonNode stopped = awaitRecord(from, r -> r.path("action").asText().equals("server.stop"));
            assertEquals("system", stopped.path("actor").asText());
            JsonNode started = awaitRecord(from, r -> r.path("action").asText().equals("server.start"));
            assertTrue("the stop comes before the start", stopped.path("sequence").asLong()
                    < started.path("sequence").asLong());
            assertEquals("system", started.path("actor").asText());
            boolean named = false;
            for (JsonNode change : started.path("changes")) {
                named |= change.path("field").asText().equals("deploy/esim-provider-at-start.jar")
                        && change.path("after").asText().startsWith("io.enigm.server.provider.esim@");
            }
            assertTrue("the start names the deployed provider: " + started, named);
        } finally {
            removed = head();
            Files.delete(jar);
        }
        awaitRecord(removed, esimBundle("bundle.uninstall"));
    }

    /**
     * A configuration file an operator writes into {@code conf/}: the directory is the actor, plain
     * settings keep their values, and a receiver URL (whose query carries its credential) is named
     * without them, in the record and anywhere else in the audit.
     */
    @Test
    public void aFileInConfIsAuditedWithTheDirectoryAsActorAndAUrlWithoutItsValues() throws Exception {
        String canary = "credential-canary-" + System.nanoTime();
        Path file = dist.resolve("conf").resolve("io.enigm.server.webhook.cfg");
        long from = head();
        try {
            Files.writeString(file, "urls=http://127.0.0.1:9/hook?credential=" + canary + "\nbatchSize=7\n");
            JsonNode configured = awaitRecord(from, r -> r.path("action").asText().equals("configuration.update")
                    && r.path("target").asText().equals("io.enigm.server.webhook"));
            assertEquals(configured.toString(), "operator:conf-directory", configured.path("actor").asText());
            assertTrue(configured.toString(), contains(configured.path("changes"), "batchSize", null, "7"));
            boolean urlsNamed = false;
            for (JsonNode change : configured.path("changes")) {
                urlsNamed |= change.path("field").asText().equals("urls") && change.path("before").isNull()
                        && change.path("after").isNull();
            }
            assertTrue("the URLs are named without their values: " + configured, urlsNamed);
        } finally {
            Files.deleteIfExists(file);
        }
        awaitRecord(from, r -> r.path("action").asText().equals("configuration.delete")
                && r.path("target").asText().equals("io.enigm.server.webhook"));
        assertFalse("the URL's credential never reaches the audit", trail(from).toString().contains(canary));
    }

    /** Drops the eSIM provider into deploy/ as {@code fileName}, whole at once, as an operator's copy would land. */
    private static Path deployEsim(String fileName) throws IOException {
        Path jar = dist.resolve("deploy").resolve(fileName);
        Path staged = dist.resolve(fileName + ".part");
        Files.copy(Path.of(System.getProperty("enigm.provider.esim")), staged);
        Files.move(staged, jar, StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }

    /** A record of {@code action} on the eSIM provider's bundle. */
    private static Predicate<JsonNode> esimBundle(String action) {
        return r -> r.path("action").asText().equals(action)
                && r.path("target").asText().startsWith("io.enigm.server.provider.esim@");
    }

    @Test
    public void anUpdateNamesTheFieldsItChangedWithTheirOldAndNewValuesButNoIdentifiers() throws Exception {
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Field office\"}").json().path("id").asText();
        String path = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", path, owner, "application/json",
                "{\"name\":\"Head office\",\"contentLifetimeDays\":7}".getBytes(StandardCharsets.UTF_8)).status());
        JsonNode renamed = awaitRecord(0, r -> r.path("action").asText().equals("environment.update")
                && env.equals(r.path("environmentId").asText()));
        assertTrue(renamed.toString(), contains(renamed.path("changes"), "name", "Field office", "Head office"));
        assertTrue(renamed.toString(), contains(renamed.path("changes"), "contentLifetimeDays", "30", "7"));
        assertEquals("only what changed: " + renamed, 2, renamed.path("changes").size());

        DeviceKey phone = DeviceKey.generate();
        Api.Enrolled enrolled = api.enrolMember(path, owner, "audit-canary@enigm", phone.publicKey());
        assertEquals(200, api.send("PATCH", path + "/members/" + enrolled.memberId(), owner, "application/json",
                "{\"state\":\"SUSPENDED\"}".getBytes(StandardCharsets.UTF_8)).status());
        JsonNode suspended = awaitRecord(0, r -> r.path("action").asText().equals("member.update")
                && env.equals(r.path("environmentId").asText()));
        assertTrue(suspended.toString(), contains(suspended.path("changes"), "state", "ACTIVE", "SUSPENDED"));
        assertFalse("never the account handle", trail(0).toString().contains("audit-canary"));
    }

    /** A changed configuration restarts the components that read it, and the API's routes with them. */
    private static void awaitApiBack() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int consecutive = 0;
        while (consecutive < 5) {
            consecutive = api.get("/api/v1/environments", owner).status() == 200 ? consecutive + 1 : 0;
            assertTrue("the API did not come back within 10 s", System.nanoTime() < deadline);
            Thread.sleep(100);
        }
    }

    private static boolean contains(JsonNode changes, String field, String before, String after) {
        for (JsonNode change : changes) {
            if (change.path("field").asText().equals(field)
                    && (before == null || before.equals(change.path("before").asText()))
                    && after.equals(change.path("after").asText())) {
                return true;
            }
        }
        return false;
    }

    private static long head() {
        List<JsonNode> all = trail(0);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).path("sequence").asLong();
    }

    /** The installation's audit records after sequence {@code from}. */
    private static List<JsonNode> trail(long from) {
        List<JsonNode> records = new ArrayList<>();
        String cursor = from == 0 ? null : Long.toString(from);
        do {
            Api.Answer page = api.get("/api/v1/audit?limit=500" + (cursor == null ? "" : "&cursor=" + cursor), owner);
            assertEquals(page.body(), 200, page.status());
            page.json().path("items").forEach(records::add);
            cursor = page.json().path("next").isNull() ? null : page.json().path("next").asText();
        } while (cursor != null);
        return records;
    }

    /**
     * Waits, at most thirty seconds, for a record: a jar in {@code deploy/} passes FileInstall's poll,
     * the resolver and the provider's activation first, which on a loaded machine took more than ten.
     */
    private static JsonNode awaitRecord(long from, Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (JsonNode record : trail(from)) {
                if (wanted.test(record)) {
                    return record;
                }
            }
            assertTrue("no such audit record after " + from + " within 30 s: " + trail(from),
                    System.nanoTime() < deadline);
            Thread.sleep(100);
        }
    }
}
