package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * The Web Console in a real browser (headless Chromium) against the assembled distribution: the
 * operator logs in with the generated password, every Enigm page shows what the API says, "verify
 * now" verifies, a provider bundle the distribution ships is enabled from the page, a form posted
 * from another site is refused, and the Components page exists. Each page is saved as a PNG under
 * {@code target/screenshots/}.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleBrowserIT {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Path dist;
    private static ServerProcess server;
    private static Api api;
    private static String owner;
    private static String console;
    private static Browser browser;

    @BeforeClass
    public static void startServerAndBrowser() throws Exception {
        dist = Distributions.privateCopy();
        // the eSIM provider runs from the start; the Enigm Key provider is shipped, not deployed
        Files.copy(Path.of(System.getProperty("enigm.provider.esim")), dist.resolve("deploy").resolve("esim.jar"));
        Path shipped = Files.createDirectories(dist.resolve("providers"));
        Files.copy(Path.of(System.getProperty("enigm.provider.key")), shipped.resolve("enigm-key-provider.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        server = new ServerProcess(Files.createTempDirectory("enigm-browser-"), "", dist);
        server.start();
        server.awaitConsole();
        api = server.api();
        owner = server.secret("owner-token");
        console = "http://127.0.0.1:" + server.port() + "/system/console/";
        browser = new Browser();
        // HTTP Basic, as an operator types it in; the browser keeps it for the console's origin
        browser.open("http://admin:" + URLEncoder.encode(server.secret("console-password"), StandardCharsets.UTF_8)
                + "@127.0.0.1:" + server.port() + "/system/console/bundles");
    }

    @AfterClass
    public static void stopAll() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop();
        }
        if (dist != null) {
            Distributions.delete(dist);
        }
    }

    @Test
    public void a_environmentsPageShowsWhatTheApiSays() throws Exception {
        String field = api.post("/api/v1/environments", owner, "{\"name\":\"R&D <lab>\",\"regionLabel\":\"eu-west\"}")
                .json().path("id").asText();
        api.post("/api/v1/environments", owner, "{\"name\":\"Head office\",\"regionLabel\":\"eu-central\"}");
        String base = "/api/v1/environments/" + field;
        api.enrol(base, owner, "alice@field", DeviceKey.generate().publicKey());
        api.enrol(base, owner, "bob@field", DeviceKey.generate().publicKey());
        int environments = api.get("/api/v1/environments", owner).json().path("items").size();
        int members = api.get(base + "/members", owner).json().path("items").size();

        browser.open(console + "enigm-environments");
        List<WebElement> rows = browser.rowsShowing(field);
        WebElement row = rows.stream().filter(r -> r.getText().contains(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no row of " + field + " in\n" + browser.text()));
        List<String> cells = row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        browser.screenshot(SCREENSHOTS.resolve("environments.png"));

        assertEquals("one row per environment the API lists", environments, rows.size());
        assertEquals("its name, printed as text, not markup", "R&D <lab>", cells.get(0));
        assertEquals("its state", "ACTIVE", cells.get(2));
        assertEquals("its members, as the API lists them", Integer.toString(members), cells.get(5));
        assertEquals("two members joined", "2", cells.get(5));
        assertEquals("one device each", "2", cells.get(7));
        assertEquals("no content", "0", cells.get(8));
        assertEquals("no legal hold", "no", cells.get(9));
        assertFalse("no account handle is shown", browser.text().contains("alice@field"));
    }

    @Test
    public void b_securityEventsPageShowsTheLatestEventsOfARiskClass() throws Exception {
        int low = api.get("/api/v1/security-events?class=LOW&limit=100", owner).json().path("items").size();

        browser.open(console + "enigm-security-events?risk=LOW");
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("table.nicetable tbody tr"));
        browser.screenshot(SCREENSHOTS.resolve("security-events.png"));

        assertTrue("the enrolments made LOW events: " + low, low > 0);
        assertEquals("as many LOW events as the API lists", low, rows.size());
        assertTrue("only LOW: " + browser.text(), rows.stream().allMatch(r -> r.getText().contains("LOW")));
    }

    @Test
    public void c_auditPageVerifiesTheChainNowAndTheVerificationIsAudited() throws Exception {
        browser.open(console + "enigm-audit");
        assertTrue("not verified yet: " + browser.text(), browser.text().contains("none since the server started"));

        browser.driver().findElement(By.xpath("//button[text()='Verify now']")).click();
        await("the verification's result", () -> browser.text().contains("Verified now: the chain is intact."));
        browser.screenshot(SCREENSHOTS.resolve("audit.png"));

        JsonNode verified = api.get("/api/v1/audit/verify", owner).json();
        assertTrue("the API agrees: " + verified, verified.path("intact").asBoolean());
        assertTrue("the page shows the result: " + browser.text(), browser.text().contains("intact ("));
        JsonNode last = lastAuditRecord("audit.verify", "operator:admin");
        assertEquals("audited as the operator's action: " + last, "ALLOWED", last.path("outcome").asText());
    }

    @Test
    public void d_providersPageShowsTheRunningProviderAndEnablesAShippedOne() throws Exception {
        browser.open(console + "enigm-providers");
        String page = browser.text();
        browser.screenshot(SCREENSHOTS.resolve("providers.png"));
        assertTrue("the eSIM provider runs: " + page, page.contains("io.enigm.server.provider.esim") && page.contains("esim"));
        assertTrue("the Key provider is shipped: " + page, page.contains("enigm-key-provider.jar"));

        browser.driver().findElement(By.xpath("//tr[td[text()='enigm-key-provider.jar']]//button")).click();
        await("the page says the jar is deployed", () -> browser.text().contains("copied to deploy/"));
        assertTrue("copied to deploy/", Files.exists(dist.resolve("deploy").resolve("enigm-key-provider.jar")));
        await("the Key provider's bundle runs", () -> {
            browser.open(console + "enigm-providers");
            return browser.driver().findElements(By.xpath(
                    "//tr[td[text()='io.enigm.server.provider.key'] and td[text()='active']]")).size() > 0;
        });
        browser.screenshot(SCREENSHOTS.resolve("providers-enabled.png"));
        JsonNode deployed = lastAuditRecord("provider.deploy", "operator:admin");
        assertEquals("the deployment is audited as the operator's", "io.enigm.server.provider.key",
                deployed.path("target").asText());
    }

    @Test
    public void e_aFormPostedFromAnotherSiteIsRefusedAndChangesNothing() throws Exception {
        String bundle = esimBundleId();
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] forged = ("<html><body><form id='f' method='post' action='" + console + "enigm-providers'>"
                + "<input name='action' value='stop'><input name='bundle' value='" + bundle + "'></form>"
                + "<script>document.getElementById('f').submit()</script></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        attacker.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, forged.length);
            exchange.getResponseBody().write(forged);
            exchange.close();
        });
        attacker.start();
        try {
            // another site: another host name and port, so the browser names it in Origin
            browser.open("http://localhost:" + attacker.getAddress().getPort() + "/");
            await("the forged form was posted", () -> browser.driver().getCurrentUrl().startsWith(console));
            String answer = browser.driver().getPageSource();
            browser.screenshot(SCREENSHOTS.resolve("cross-site-refused.png"));
            assertTrue("refused as forbidden: " + answer, answer.contains("403"));
        } finally {
            attacker.stop(0);
        }
        assertTrue("the eSIM provider still runs", providerTypes().contains("esim"));
        browser.open(console + "enigm-providers");
        assertTrue("and its bundle is active: " + browser.text(), browser.driver().findElements(By.xpath(
                "//tr[td[text()='io.enigm.server.provider.esim'] and td[text()='active']]")).size() > 0);
    }

    @Test
    public void f_theProviderCanBeDisabledFromItsOwnPage() throws Exception {
        browser.open(console + "enigm-providers");
        browser.driver().findElement(By.xpath(
                "//tr[td[text()='io.enigm.server.provider.esim']]//button[text()='Disable']")).click();
        await("the eSIM provider is gone", () -> !providerTypes().contains("esim"));
        assertTrue("the page says so: " + browser.text(), browser.text().contains("The provider bundle is stopped"));
        assertTrue("audited as the operator's", lastAuditRecord("bundle.stop", "operator:admin").path("target")
                .asText().startsWith("io.enigm.server.provider.esim@"));
    }

    @Test
    public void g_theWebhookAndComponentsPagesExist() throws Exception {
        browser.open(console + "enigm-webhook");
        browser.screenshot(SCREENSHOTS.resolve("webhook.png"));
        assertTrue("the parked batches page: " + browser.text(), browser.text().contains("Parked: 0"));

        browser.open(console + "components");
        await("the components are listed", () -> browser.text().contains(
                "io.enigm.server.console.internal.AuditConsolePlugin"));
        browser.screenshot(SCREENSHOTS.resolve("components.png"));
    }

    @Test
    public void h_theHealthPageShowsEveryCheckTheOwnersViewHas() throws Exception {
        JsonNode report = api.get("/api/v1/health/checks", owner).json();
        browser.open(console + "enigm-health");
        browser.screenshot(SCREENSHOTS.resolve("health.png"));
        String page = browser.text();
        assertTrue(page, page.contains("The installation is " + report.path("status").asText() + "; its core services serve."));
        assertTrue("the Key provider enabled earlier has its check: " + report, report.path("checks").toString()
                .contains("[\"provider\"]"));
        for (JsonNode check : report.path("checks")) {
            String name = check.path("name").asText();
            assertEquals(name + " on the page as in the API", 1, browser.driver().findElements(By.xpath(
                    "//tr[td[text()='" + name + "']]")).size());
        }
    }

    private static String esimBundleId() throws Exception {
        for (JsonNode bundle : Api.JSON.readTree(new Console(server).get("/system/console/bundles.json").body())
                .path("data")) {
            if ("io.enigm.server.provider.esim".equals(bundle.path("symbolicName").asText())) {
                return bundle.path("id").asText();
            }
        }
        throw new AssertionError("the eSIM provider is not installed");
    }

    private static List<String> providerTypes() {
        JsonNode items = api.get("/api/v1/providers", owner).json().path("items");
        return java.util.stream.StreamSupport.stream(items.spliterator(), false)
                .map(provider -> provider.path("type").asText()).toList();
    }

    /** The newest audit record of {@code action} by {@code actor}. */
    private static JsonNode lastAuditRecord(String action, String actor) {
        JsonNode found = null;
        String cursor = "0";
        while (cursor != null) {
            JsonNode page = api.get("/api/v1/audit?limit=500&cursor=" + cursor, owner).json();
            for (JsonNode record : page.path("items")) {
                if (action.equals(record.path("action").asText()) && actor.equals(record.path("actor").asText())) {
                    found = record;
                }
            }
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        }
        if (found == null) {
            throw new AssertionError("no audit record of " + action + " by " + actor);
        }
        return found;
    }

    /** A bounded poll of the browser or the separate server process, which no event announces. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + WAIT + "; the page shows\n" + browser.text());
            }
            Thread.sleep(100);
        }
    }
}
