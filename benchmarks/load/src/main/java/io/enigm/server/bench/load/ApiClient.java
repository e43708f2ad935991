package io.enigm.server.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The load generators' HTTP/1.1 client of the API on loopback, with failure counts by status. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Work of one load thread; returns how many operations succeeded. */
    interface Worker {
        int work() throws Exception;
    }

    /** An answer: its status and its body as text. */
    record Answer(int status, String body) {
    }

    private final CloseableHttpClient client;
    private final String base;
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    /** More than any run's concurrency: each load thread keeps its own connection. */
    private static final int CONNECTIONS = 512;

    ApiClient(String base) {
        this.base = base;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(CONNECTIONS).setMaxConnPerRoute(CONNECTIONS)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(5)).setSocketTimeout(Timeout.ofSeconds(30)).build())
                        .build())
                .disableAutomaticRetries().disableCookieManagement().disableRedirectHandling()
                .build();
    }

    Answer send(String method, String path, String bearer, String json) throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(method, java.net.URI.create(base + path));
        if (bearer != null) {
            request.setHeader("Authorization", "Bearer " + bearer);
        }
        if (json != null) {
            request.setEntity(new ByteArrayEntity(json.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
        }
        return client.execute(request, response -> new Answer(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
    }

    /** {@code POST} of opaque bytes with extra headers, as the app uploads encrypted content. */
    Answer sendBytes(String path, String bearer, Map<String, String> headers, byte[] body) throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase("POST", java.net.URI.create(base + path));
        request.setHeader("Authorization", "Bearer " + bearer);
        headers.forEach(request::setHeader);
        request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
        return client.execute(request, response -> new Answer(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
    }

    /** Whether the answer has the expected status; counts it under {@code step} when not. */
    boolean ok(int expected, Answer answer, String step) {
        if (answer.status() == expected) {
            return true;
        }
        failures.computeIfAbsent(step + " " + answer.status(), s -> new AtomicInteger()).incrementAndGet();
        return false;
    }

    Map<String, AtomicInteger> failures() {
        return failures;
    }

    /** The body approving a join request by the fingerprint its receipt showed, as an administrator compares it. */
    static String approval(JsonNode receipt) {
        return JSON.createObjectNode().put("deviceFingerprint", receipt.path("deviceFingerprint").asText()).toString();
    }

    static JsonNode expect(int status, Answer answer) throws IOException {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + answer.status() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** Runs {@code concurrency} workers to the end and adds up their successes. */
    static long parallel(int concurrency, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                results.add(pool.submit(worker::work));
            }
            long total = 0;
            for (Future<Integer> result : results) {
                total += result.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
