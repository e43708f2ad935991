package io.enigm.server.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Drives a running Enigm Server through its HTTP API, as Enigm Command and the app would, from a
 * separate process on loopback. Every count is bounded; the generator stops by itself.
 *
 * <pre>
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE environment NAME
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE environments COUNT CONCURRENCY
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE members ENV SERVER_ID COUNT DEVICES_PER_MEMBER CONCURRENCY [WARMUP]
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE last-cursor PATH
 * MembershipLoad BASE_URL OWNER_TOKEN_FILE first-id PATH
 * MembershipLoad - - keys COUNT FILE
 * </pre>
 *
 * <p>WARMUP members (none unless given) are created first, untimed, in the same environment, so that
 * a rate is not that of the generator's own cold JIT.
 *
 * <p>{@code keys} writes COUNT new device public keys, one per line in the API's form, for
 * {@code member-creation.lua}: wrk then files join requests without making keys while it is timed.
 */
public final class MembershipLoad {


    private final ApiClient api;
    private final String token;

    private MembershipLoad(String base, String token) {
        this.api = new ApiClient(base);
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: BASE_URL OWNER_TOKEN_FILE COMMAND ARGS...");
        }
        if (args[2].equals("keys")) {
            writeKeys(Integer.parseInt(args[3]), Path.of(args[4]));
            return;
        }
        MembershipLoad load = new MembershipLoad(args[0], Files.readString(Path.of(args[1])).strip());
        switch (args[2]) {
            case "environment" -> {
                JsonNode environment = load.createEnvironment(args[3]);
                System.out.println(environment.path("id").asText() + " " + environment.path("serverId").asText());
            }
            case "environments" -> load.environments(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "members" -> {
                int concurrency = Integer.parseInt(args[7]);
                if (args.length > 8) {
                    load.members(args[3], args[4], "warmup", Integer.parseInt(args[8]), 1, concurrency);
                }
                load.members(args[3], args[4], "members", Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                        concurrency);
            }
            case "last-cursor" -> System.out.println(load.lastCursor(args[3]));
            case "first-id" -> System.out.println(ApiClient.expect(200, load.api.send("GET", args[3], load.token, null))
                    .path("items").path(0).path("id").asText());
            default -> throw new IllegalArgumentException("unknown command " + args[2]);
        }
    }

    private static void writeKeys(int count, Path file) throws IOException {
        try (var out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < count; i++) {
                out.write(LoadKeys.publicKeyText(LoadKeys.newPrivateKey()));
                out.newLine();
            }
        }
    }

    private JsonNode createEnvironment(String name) throws IOException, InterruptedException {
        return ApiClient.expect(201, api.send("POST", "/api/v1/environments", token, "{\"name\":\"" + name + "\"}"));
    }

    private void environments(int count, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        long created = ApiClient.parallel(concurrency, () -> {
            int done = 0;
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                if (api.ok(201, api.send("POST", "/api/v1/environments", token, "{\"name\":\"Environment " + i + "\"}"), "environment")) {
                    done++;
                }
            }
            return done;
        });
        report("environments", created, started);
    }

    /**
     * Members through the join flow: the device asks (public, unauthenticated), a membership
     * administrator approves with the fingerprint the receipt showed. Extra devices join for the same
     * account and are approved as the member's further devices (PENDING, as for any live member's account).
     */
    private void members(String environment, String serverId, String what, int count, int devicesPerMember,
            int concurrency) throws Exception {
        String run = what + Long.toString(System.nanoTime(), 36);
        AtomicInteger next = new AtomicInteger();
        AtomicLong devices = new AtomicLong();
        long started = System.nanoTime();
        long members = ApiClient.parallel(concurrency, () -> {
            int done = 0;
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                String account = "bench-" + run + "-" + i;
                boolean member = false;
                for (int d = 0; d < devicesPerMember; d++) {
                    String key = LoadKeys.publicKeyText(LoadKeys.newPrivateKey());
                    ApiClient.Answer submitted = api.send("POST", "/api/v1/join-requests", null,
                            "{\"serverId\":\"" + serverId + "\",\"accountHandle\":\"" + account
                                    + "\",\"devicePublicKey\":\"" + key + "\"}");
                    if (!api.ok(202, submitted, "join")) {
                        break;
                    }
                    JsonNode receipt = ApiClient.JSON.readTree(submitted.body());
                    if (!api.ok(200, api.send("POST", "/api/v1/environments/" + environment + "/join-requests/"
                            + receipt.path("id").asText() + "/approve", token, ApiClient.approval(receipt)), "approve")) {
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
        report(what, members, started);
        System.out.printf("devices: %d%n", devices.get());
        api.failures().clear();
    }

    /** Walks every page of a list and prints the cursor of its last page. */
    private String lastCursor(String path) throws IOException, InterruptedException {
        String cursor = null;
        String last = "";
        int pages = 0;
        while (pages++ < 1_000_000) {
            String url = path + (path.contains("?") ? "&" : "?") + "limit=50"
                    + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = ApiClient.expect(200, api.send("GET", url, token, null));
            if (page.path("next").isNull()) {
                return last;
            }
            cursor = page.path("next").asText();
            last = cursor;
        }
        throw new IllegalStateException("more than a million pages");
    }

    private void report(String what, long count, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("%s: %d in %.2f s = %.0f/s%n", what, count, seconds, count / seconds);
        if (!api.failures().isEmpty()) {
            System.out.println("failures by status: " + api.failures());
        }
    }

}
