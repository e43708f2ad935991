package io.enigm.server.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stores small encrypted messages through the API as members' devices do: DEVICES devices enrolled
 * and each given a session, then CONCURRENCY workers each on its own connection upload MESSAGES
 * messages of SIZE random bytes ({@code POST …/content}, surface MESSAGES, for every member). Every
 * message is acknowledged only once it is durable, audited and decided by the policy.
 *
 * <pre>
 * ContentLoad BASE_URL OWNER_TOKEN_FILE DEVICES MESSAGES SIZE CONCURRENCY WARMUP [SERVER_PID]
 * </pre>
 */
public final class ContentLoad {

    private final ApiClient api;
    private final String token;

    private ContentLoad(String base, String token) {
        this.api = new ApiClient(base);
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7 || args.length > 8) {
            throw new IllegalArgumentException(
                    "usage: BASE_URL OWNER_TOKEN_FILE DEVICES MESSAGES SIZE CONCURRENCY WARMUP [SERVER_PID]");
        }
        ContentLoad load = new ContentLoad(args[0], Files.readString(Path.of(args[1])).strip());
        load.messages(Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]), Integer.parseInt(args[6]),
                args.length == 8 ? ProcessCpu.of(Long.parseLong(args[7])) : null);
    }

    private void messages(int deviceCount, int count, int size, int concurrency, int warmup, ProcessCpu server)
            throws Exception {
        ContentMembers members = new ContentMembers(api, token);
        ContentMembers.Environment environment = members.environment("Content load");
        String env = environment.id();
        List<String> sessions = members.sessions(environment, deviceCount, concurrency);
        System.out.printf("%d devices with sessions%n", sessions.size());
        byte[] message = new byte[size];
        new SecureRandom().nextBytes(message);
        run(env, sessions, message, concurrency, warmup);
        api.failures().clear();
        ProcessCpu self = ProcessCpu.self();
        long serverBefore = server == null ? 0 : server.nanos();
        long selfBefore = self.nanos();
        long started = System.nanoTime();
        long stored = run(env, sessions, message, concurrency, count);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("messages stored: %d of %d bytes in %.2f s = %.0f/s (concurrency %d)%n", stored, size,
                seconds, stored / seconds, concurrency);
        if (server != null && stored > 0) {
            System.out.printf("cpu per message: server %.0f µs, load generator %.0f µs%n",
                    (server.nanos() - serverBefore) / 1e3 / stored, (self.nanos() - selfBefore) / 1e3 / stored);
        }
        if (!api.failures().isEmpty()) {
            System.out.println("failures: " + api.failures());
        }
    }

    private long run(String env, List<String> sessions, byte[] message, int concurrency, int count) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger worker = new AtomicInteger();
        return ApiClient.parallel(concurrency, () -> {
            String session = sessions.get(worker.getAndIncrement() % sessions.size());
            int stored = 0;
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                if (api.ok(201, api.sendBytes("/api/v1/environments/" + env + "/content", session,
                        Map.of("X-Enigm-Surface", "MESSAGES"), message), "upload")) {
                    stored++;
                }
            }
            return stored;
        });
    }
}
