package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;

/**
 * What the HTTP server itself does before and around the application, over plain sockets on the
 * real Jetty of the core feature: header values exactly as sent on a kept-alive connection, every
 * error Jetty answers as problem+json, and the connector's connection limit.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpEdgeIT extends ApiFrameworkTest {

    private static final String CONNECTOR_PID = "io.enigm.server.http.connector";
    private static final String CONNECTOR_FACTORY = "org.apache.felix.http.jetty.ConnectorFactory";

    @Inject
    private AdminTokens tokens;

    @Test
    public void aTokenInOtherLetterCaseIsRefusedOnTheConnectionThatSentTheRealOne() throws IOException {
        assertHeaderValuesAreCaseExactOnOneConnection();
    }

    private void assertHeaderValuesAreCaseExactOnOneConnection() throws IOException {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "edge owner").token();
        int prefix = owner.lastIndexOf('_') + 1;
        String otherCase = owner.substring(0, prefix) + swapCase(owner.substring(prefix));
        assertNotEquals(owner, otherCase);

        try (RawHttp connection = new RawHttp(port())) {
            RawHttp.Answer first = connection.send(get("/api/v1/environments") + "\r\nAuthorization: Bearer " + owner, null)
                    .read();
            assertEquals(first.body(), 200, first.status());
            // the same connection: Jetty's parser has the owner's header in its per-connection cache
            RawHttp.Answer second = connection.send(get("/api/v1/environments") + "\r\nAuthorization: Bearer "
                    + otherCase, null).read();
            assertEquals("a token differing only in letter case is another token: " + second.body(), 401,
                    second.status());
            assertEquals("application/problem+json", second.contentType());
            RawHttp.Answer third = connection.send(get("/api/v1/environments") + "\r\nAuthorization: Bearer " + owner, null)
                    .read();
            assertEquals("the connection stayed open and the real token still works", 200, third.status());
        }
    }

    @Test
    public void everyErrorJettyAnswersItselfIsAProblemWithoutInternals() throws IOException {
        Map<String, Integer> requests = Map.of(
                get("/api/v1/" + "a".repeat(64 * 1024)), 414,
                get("/api/v1/health") + "\r\nNo colon in this header", 400,
                get("/api/v1/environments/%00"), 400,
                get("/api/v1/environments/%C0%AF"), 400,
                get("/api/v1/environments/a%2Fb"), 400,
                get("/api/v1/environments/%2e%2e/x"), 400,
                get("/api/v1/health") + "\r\nX-Padding: " + "a".repeat(64 * 1024), 431,
                get("/no-such-place"), 404,
                "DELETE /system/nothing HTTP/1.1\r\nHost: 127.0.0.1", 404,
                "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6", 400);
        for (Map.Entry<String, Integer> request : requests.entrySet()) {
            String what = request.getKey().substring(0, Math.min(60, request.getKey().length()));
            try (RawHttp connection = new RawHttp(port())) {
                RawHttp.Answer answer = connection.send(request.getKey() + "\r\nConnection: close", null).read();
                assertEquals(what + ": " + answer.body(), (int) request.getValue(), answer.status());
                assertEquals(what, "application/problem+json", answer.contentType());
                JsonNode problem = answer.json();
                assertEquals(what, answer.status(), problem.path("status").asInt());
                assertTrue(what, problem.path("type").asText().startsWith("urn:enigm:problem:"));
                assertTrue(what, problem.hasNonNull("title"));
                for (String internal : new String[] {"Exception", "\tat ", "jetty", "<html", "%C0", "%00"}) {
                    assertFalse(what + " shows " + internal + ": " + answer.body(),
                            answer.body().toLowerCase().contains(internal.toLowerCase()));
                }
            }
        }
    }

    @Test
    public void beyondTheConnectionLimitTheServerAcceptsOnlyWhenAConnectionCloses() throws Exception {
        int limit = 3;
        configure(CONNECTOR_PID, Map.of("maxConnections", limit));
        List<RawHttp> open = new ArrayList<>();
        try {
            awaitTrue("the connector runs with the new limit", () -> serviceWith("(maxConnections=" + limit + ")"));
            awaitHealthyOnFreshConnections();
            for (int i = 0; i < limit; i++) {
                RawHttp connection = new RawHttp(port());
                open.add(connection);
                assertEquals(200, connection.send(get("/api/v1/health"), null).read().status());
            }
            RawHttp waiting = new RawHttp(port());
            open.add(waiting);
            waiting.send(get("/api/v1/health"), null);
            try {
                waiting.read(1000);
                fail("a connection beyond the limit was served");
            } catch (SocketTimeoutException expected) {
                // queued by the operating system, not accepted by the server
            }
            open.remove(0).close();
            assertEquals("served once another connection closed", 200, waiting.read().status());
        } finally {
            for (RawHttp connection : open) {
                connection.close();
            }
            configure(CONNECTOR_PID, Map.of("maxConnections", 1024));
            awaitTrue("the default limit is back", () -> serviceWith("(maxConnections=1024)"));
        }
    }

    /**
     * Limits from an earlier configuration must not outlive it: Jetty keeps them in the connector's
     * selector manager, where a lower connection limit would go on capping connections and a stopped
     * rate limit, once it paused accepting, would never resume it.
     */
    @Test
    public void limitsOfAnEarlierConfigurationNoLongerApplyAfterAChange() throws Exception {
        int connections = 12;
        configure(CONNECTOR_PID, Map.of("maxConnections", 4, "maxAcceptsPerSecond", 2));
        awaitTrue("the connector runs with the low limits", () -> serviceWith("(maxAcceptsPerSecond=2)"));
        configure(CONNECTOR_PID, Map.of("maxConnections", 1024, "maxAcceptsPerSecond", 1000));
        awaitTrue("the defaults are back", () -> serviceWith("(maxAcceptsPerSecond=1000)"));
        awaitHealthyOnFreshConnections();
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                open.add(new RawHttp(port()));
            }
            for (RawHttp connection : open) {
                connection.send(get("/api/v1/health"), null);
            }
            for (RawHttp connection : open) {
                assertEquals("every connection held open is served", 200, connection.read(5000).status());
            }
        } finally {
            for (RawHttp connection : open) {
                connection.close();
            }
        }
    }

    @Test
    public void aRequestBodyTricklingSlowerThanTheMinimumRateIsCutOff() throws Exception {
        configure(CONNECTOR_PID, Map.of("minRequestBytesPerSecond", 1000L));
        try {
            awaitTrue("the connector runs with the new rate", () -> serviceWith("(minRequestBytesPerSecond=1000)"));
            awaitHealthyOnFreshConnections();
            try (RawHttp connection = new RawHttp(port())) {
                connection.send("POST /api/v1/join-requests HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 50000", null);
                // 40 bytes a second, for at most 10 s: without the minimum the server waits for all 50,000
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!connection.hasAnswer() && System.nanoTime() < deadline) {
                    if (!connection.trickle("          ")) {
                        break;
                    }
                    Thread.sleep(250);
                }
                assertTrue("the server answered while the body was still trickling", connection.hasAnswer());
                RawHttp.Answer answer = connection.read();
                assertEquals(answer.body(), 408, answer.status());
                assertEquals("application/problem+json", answer.contentType());
            }
        } finally {
            configure(CONNECTOR_PID, Map.of("minRequestBytesPerSecond", 0L));
            awaitTrue("the default, no minimum, is back", () -> serviceWith("(minRequestBytesPerSecond=0)"));
        }
    }

    @Test
    public void theConnectorKeepsListeningHardenedWhileTheApiBundleIsStoppedAndIsTakenOverAgainAfter() throws Exception {
        Bundle http = Arrays.stream(context.getBundles())
                .filter(b -> "io.enigm.server.http".equals(b.getSymbolicName())).findFirst().orElseThrow();
        http.stop();
        try {
            awaitTrue("the port answers without the API, errors still as problems", () -> {
                try (RawHttp connection = new RawHttp(port())) {
                    RawHttp.Answer answer = connection.send(get("/api/v1/health") + "\r\nConnection: close", null).read(2000);
                    return answer.status() == 404 && "application/problem+json".equals(answer.contentType());
                } catch (IOException e) {
                    return false;
                }
            });
        } finally {
            http.start();
        }
        awaitHealthyOnFreshConnections();
        assertHeaderValuesAreCaseExactOnOneConnection();
    }

    private boolean serviceWith(String filter) {
        try {
            return context.getServiceReferences(CONNECTOR_FACTORY, filter) != null;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Health over connections that are closed at once, so none of them counts against the limit under test. */
    private void awaitHealthyOnFreshConnections() throws InterruptedException {
        awaitTrue("health answers after the connector restarted", () -> {
            try (RawHttp connection = new RawHttp(port())) {
                return connection.send(get("/api/v1/health") + "\r\nConnection: close", null).read(2000).status() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** A body without a declared length is cut at the limit like one that declared too much: 413, not 408. */
    @Test
    public void aChunkedBodyOverTheLimitIsTooLarge() throws IOException {
        String chunk = "x".repeat(16 * 1024);
        try (RawHttp connection = new RawHttp(port())) {
            connection.send("POST /api/v1/join-requests HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                    + "\r\nTransfer-Encoding: chunked", null);
            for (int i = 0; i < 5 && !connection.hasAnswer(); i++) {
                connection.trickle(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            connection.trickle("0\r\n\r\n");
            RawHttp.Answer answer = connection.read(10_000);
            assertEquals(answer.body(), 413, answer.status());
            assertEquals("application/problem+json", answer.contentType());
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1";
    }

    private static String swapCase(String text) {
        StringBuilder swapped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            swapped.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return swapped.toString();
    }
}
