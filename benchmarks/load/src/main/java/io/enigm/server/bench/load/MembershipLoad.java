package io.enigm.server.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drives a running Enigm Server through its HTTP API, as Enigm Command and the app would, from a
 * separate process on loopback. Every count is bounded; the generator stops by itself.
 *
 * <pre>
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE environment NAME
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE environments COUNT CONCURRENCY
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE members ENV SERVER_ID COUNT DEVICES_PER_MEMBER CONCURRENCY
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE last-cursor PATH
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE first-id PATH
 * </pre>
 */
public final class MembershipLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;
    private final Map<Integer, AtomicInteger> failures = new ConcurrentHashMap<>();

    private MembershipLoad(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: BASE_URL OWNER_TOKEN_FILE COMMAND ARGS...");
        }
        MembershipLoad load = new MembershipLoad(args[0], Files.readString(Path.of(args[1])).strip());
        switch (args[2]) {
            case "environment" -> {
                JsonNode environment = load.createEnvironment(args[3]);
                System.out.println(environment.path("id").asText() + " " + environment.path("serverId").asText());
            }
            case "environments" -> load.environments(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "members" -> load.members(args[3], args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                    Integer.parseInt(args[7]));
            case "last-cursor" -> System.out.println(load.lastCursor(args[3]));
            case "first-id" -> System.out.println(expect(200, load.send("GET", args[3], load.token, null))
                    .path("items").path(0).path("id").asText());
            default -> throw new IllegalArgumentException("unknown command " + args[2]);
        }
    }

    private JsonNode createEnvironment(String name) throws IOException, InterruptedException {
        return expect(201, send("POST", "/api/v1/environments", token, "{\"name\":\"" + name + "\"}"));
    }

    private void environments(int count, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        long created = run(concurrency, () -> {
            int done = 0;
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                if (ok(201, send("POST", "/api/v1/environments", token, "{\"name\":\"Environment " + i + "\"}"))) {
                    done++;
                }
            }
            return done;
        });
        report("environments", created, started);
    }

    /**
     * Members through the join flow: the device asks (public, unauthenticated), a membership
     * administrator approves. Extra devices join for the same account and are approved as the
     * member's further devices.
     */
    private void members(String environment, String serverId, int count, int devicesPerMember, int concurrency)
            throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        AtomicInteger next = new AtomicInteger();
        AtomicLong devices = new AtomicLong();
        long started = System.nanoTime();
        long members = run(concurrency, () -> {
            KeyPairGenerator keys = KeyPairGenerator.getInstance("Ed25519");
            int done = 0;
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                String account = "bench-" + run + "-" + i;
                boolean member = false;
                for (int d = 0; d < devicesPerMember; d++) {
                    String key = Base64.getEncoder().encodeToString(keys.generateKeyPair().getPublic().getEncoded());
                    HttpResponse<String> submitted = send("POST", "/api/v1/join-requests", null,
                            "{\"serverId\":\"" + serverId + "\",\"accountHandle\":\"" + account
                                    + "\",\"devicePublicKey\":\"" + key + "\"}");
                    if (!ok(202, submitted)) {
                        break;
                    }
                    String request = JSON.readTree(submitted.body()).path("id").asText();
                    if (!ok(200, send("POST", "/api/v1/environments/" + environment + "/join-requests/" + request
                            + "/approve", token, ""))) {
                        break;
                    }
                    if (d == 0) {
                        member = true;
                    }
                    devices.incrementAndGet();
                }
                if (member) {
                    done++;
                }
            }
            return done;
        });
        report("members", members, started);
        System.out.printf("devices: %d%n", devices.get());
    }

    /** Walks every page of a list and prints the cursor of its last page. */
    private String lastCursor(String path) throws IOException, InterruptedException {
        String cursor = null;
        String last = "";
        int pages = 0;
        while (pages++ < 1_000_000) {
            String url = path + (path.contains("?") ? "&" : "?") + "limit=50"
                    + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = expect(200, send("GET", url, token, null));
            if (page.path("next").isNull()) {
                return last;
            }
            cursor = page.path("next").asText();
            last = cursor;
        }
        throw new IllegalStateException("more than a million pages");
    }

    private interface Worker {
        int work() throws Exception;
    }

    private long run(int concurrency, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Integer>> results = new java.util.ArrayList<>();
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

    private void report(String what, long count, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("%s: %d in %.2f s = %.0f/s%n", what, count, seconds, count / seconds);
        if (!failures.isEmpty()) {
            System.out.println("failures by status: " + failures);
        }
    }

    private boolean ok(int expected, HttpResponse<String> response) {
        if (response.statusCode() == expected) {
            return true;
        }
        failures.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        return false;
    }

    private static JsonNode expect(int status, HttpResponse<String> response) throws IOException {
        if (response.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String bearer, String json)
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
}
