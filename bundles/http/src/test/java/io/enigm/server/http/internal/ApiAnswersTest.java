package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.RateLimitedException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** What the answer writer puts on the wire, served by a real Jetty and read by a real HTTP client. */
class ApiAnswersTest {

    private final ObjectMapper json = ApiJson.mapper();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ApiAnswers answers = new ApiAnswers(json, new RequestBodies(65536), new RequestMetrics(meters));
    /** What the next request is answered with. */
    private final AtomicReference<Supplier<Answer>> next = new AtomicReference<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Server server;
    private URI uri;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                RequestMetrics.started(request);
                answers.answer(request, response, next.get());
            }
        });
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        server.setHandler(context);
        server.start();
        uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/anything");
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private HttpResponse<String> send() throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void aReplyIsJsonWithItsStatusAndLocationAndIsNeverCached() throws Exception {
        next.set(() -> Answer.now(Reply.created("/environments/e1", Map.of("id", "e1"))));
        HttpResponse<String> response = send();
        assertEquals(201, response.statusCode());
        assertEquals("/api/v1/environments/e1", header(response, "Location"));
        assertTrue(header(response, "Content-Type").startsWith("application/json"));
        assertEquals("no-store", header(response, "Cache-Control"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        assertEquals("{\"id\":\"e1\"}", response.body());

        next.set(() -> Answer.now(Reply.noContent()));
        HttpResponse<String> empty = send();
        assertEquals(204, empty.statusCode());
        assertEquals("", empty.body());
    }

    @Test
    void aStreamIsWrittenAsTheServiceWritesItsLines() throws Exception {
        JsonLines lines = out -> {
            java.io.PrintStream print = new java.io.PrintStream(out, false, java.nio.charset.StandardCharsets.UTF_8);
            List.of(1, 2, 3).forEach(n -> print.print("{\"n\":" + n + "}\n"));
            print.flush();
        };
        next.set(() -> Answer.now(Reply.ok(lines)));
        HttpResponse<String> response = send();
        assertEquals(200, response.statusCode());
        assertTrue(header(response, "Content-Type").startsWith(JsonLines.MEDIA_TYPE));
        assertEquals("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n", response.body());
    }

    @Test
    void aRefusalIsAProblemDocumentWithWhatItAdds() throws Exception {
        next.set(() -> {
            throw new RateLimitedException("later", Duration.ofMillis(1500));
        });
        HttpResponse<String> limited = send();
        assertEquals(429, limited.statusCode());
        assertEquals("2", header(limited, "Retry-After"));
        assertTrue(header(limited, "Content-Type").startsWith("application/problem+json"));
        assertEquals("no-store", header(limited, "Cache-Control"));
        assertEquals(json.readTree("{\"type\":\"urn:enigm:problem:rate-limited\",\"title\":\"Too many requests\","
                + "\"status\":429,\"detail\":\"later\"}"), json.readTree(limited.body()));

        next.set(() -> {
            throw new InvalidRequestException("name", "must not be blank");
        });
        JsonNode invalid = json.readTree(send().body());
        assertEquals("name", invalid.path("field").asText());
        assertEquals(422, invalid.path("status").asInt());
    }

    @Test
    void anInternalErrorIsAnsweredWithAReferenceAndNeverItsMessage() throws Exception {
        next.set(() -> {
            throw new IllegalStateException("SELECT secret FROM table");
        });
        HttpResponse<String> response = send();
        assertEquals(500, response.statusCode());
        assertFalse(response.body().contains("secret"));
        assertTrue(json.readTree(response.body()).path("detail").asText().contains("reference"));
    }

    @Test
    void anAnswerAfterDurabilityIsTheReplyTheWriteCompletesWith() throws Exception {
        CompletableFuture<Reply> durable = new CompletableFuture<>();
        next.set(() -> Answer.whenDurable(durable, Refusals::problem));
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        durable.complete(Reply.created("/environments/e2", Map.of("id", "e2")));
        assertEquals(201, response.join().statusCode());
        assertEquals("/api/v1/environments/e2", header(response.join(), "Location"));
        assertEquals("{\"id\":\"e2\"}", response.join().body());
    }

    @Test
    void aFailedWriteIsAnsweredWithTheProblemItsFailureGivesOnceItIsHandled() throws Exception {
        CompletableFuture<Reply> durable = new CompletableFuture<>();
        AtomicReference<Throwable> handled = new AtomicReference<>();
        next.set(() -> Answer.whenDurable(durable, failure -> {
            handled.set(failure);
            return Refusals.problem(failure);
        }));
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        durable.completeExceptionally(new CompletionException(new ConflictException("already revoked")));
        assertEquals(409, response.join().statusCode());
        assertEquals("already revoked", json.readTree(response.join().body()).path("detail").asText());
        assertInstanceOf(ConflictException.class, handled.get(), "the failure itself, not its wrapper");

        CompletableFuture<Reply> unaudited = new CompletableFuture<>();
        next.set(() -> Answer.whenDurable(unaudited, failure -> {
            throw new IllegalStateException("the audit log is gone");
        }));
        CompletableFuture<HttpResponse<String>> internal = client.sendAsync(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        unaudited.completeExceptionally(new ConflictException("already revoked"));
        assertEquals(500, internal.join().statusCode(), "a failure that cannot be audited is an internal error");
    }

    @Test
    void eachAnswerIsTimedByItsStatusOnceWrittenAlsoWhenItWaitsForDurability() throws Exception {
        next.set(() -> Answer.now(Reply.noContent()));
        send();
        CompletableFuture<Reply> durable = new CompletableFuture<>();
        CountDownLatch received = new CountDownLatch(1);
        next.set(() -> {
            received.countDown();
            return Answer.whenDurable(durable, Refusals::problem);
        });
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        // The timer starts when the server has the request, which on a loaded machine is well after sendAsync.
        assertTrue(received.await(10, TimeUnit.SECONDS), "the server received the request");
        Thread.sleep(100);
        assertEquals(null, meters.find(RequestMetrics.METER).tag("status", "201").timer(), "not before it is answered");
        durable.complete(Reply.created("/environments/e3", Map.of("id", "e3")));
        assertEquals(201, response.join().statusCode());

        Timer noContent = meters.get(RequestMetrics.METER).tags("route", "unmatched", "method", "GET", "status", "204")
                .timer();
        assertEquals(1, noContent.count());
        Timer created = meters.get(RequestMetrics.METER).tag("status", "201").timer();
        assertEquals(1, created.count());
        assertTrue(created.totalTime(TimeUnit.MILLISECONDS) >= 100, "timed until answered");
    }
}
