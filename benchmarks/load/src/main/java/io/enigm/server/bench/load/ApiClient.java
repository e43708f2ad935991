package io.enigm.server.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The load generators' HTTP/1.1 client of the API on loopback, with failure counts by status. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Work of one load thread; returns how many operations succeeded. */
    interface Worker {
        int work() throws Exception;
    }

    // HTTP/1.1 explicitly: the default would try an h2c upgrade on every new connection.
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    ApiClient(String base) {
        this.base = base;
    }

    HttpResponse<String> send(String method, String path, String bearer, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether the answer has the expected status; counts it under {@code step} when not. */
    boolean ok(int expected, HttpResponse<String> response, String step) {
        if (response.statusCode() == expected) {
            return true;
        }
        failures.computeIfAbsent(step + " " + response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        return false;
    }

    Map<String, AtomicInteger> failures() {
        return failures;
    }

    static JsonNode expect(int status, HttpResponse<String> response) throws IOException {
        if (response.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
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
