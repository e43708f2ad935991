package io.enigm.server.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Opens device-signed sessions against a running server, as the app does: challenge, Ed25519
 * signature over the nonce, {@code POST /sessions}. Devices are enrolled first (join request,
 * approval, in an environment whose new devices start TRUSTED). Every count is bounded.
 *
 * <pre>
 * SessionLoad BASE_URL OWNER_TOKEN_FILE sessions DEVICES SESSIONS CONCURRENCY WARMUP [SERVER_PID]
 * </pre>
 *
 * <p>With SERVER_PID, the CPU time that the server and this process took per session in the timed
 * phase: on a machine they share, the load generator's part bounds what the server can show.
 *
 * <p>WARMUP sessions are opened first, untimed: on two cores the JIT needs tens of seconds under
 * load to compile the curve arithmetic and the request path, and a shorter run measures the compiler.
 */
public final class SessionLoad {

    private final ApiClient api;
    private final String token;

    /**
     * An enrolled device and its keys (raw RFC 8032 form, signed with Bouncy Castle); the public key
     * too, so that signing does not derive it again each time.
     */
    private record Device(String id, byte[] privateKey, byte[] publicKey) {
    }

    private SessionLoad(String base, String token) {
        this.api = new ApiClient(base);
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7 || args.length > 8 || !"sessions".equals(args[2])) {
            throw new IllegalArgumentException(
                    "usage: BASE_URL OWNER_TOKEN_FILE sessions DEVICES SESSIONS CONCURRENCY WARMUP [SERVER_PID]");
        }
        SessionLoad load = new SessionLoad(args[0], Files.readString(Path.of(args[1])).strip());
        load.sessions(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                Integer.parseInt(args[6]), args.length == 8 ? ProcessCpu.of(Long.parseLong(args[7])) : null);
    }

    private void sessions(int deviceCount, int sessionCount, int concurrency, int warmup, ProcessCpu server)
            throws Exception {
        JsonNode environment = ApiClient.expect(201, api.send("POST", "/api/v1/environments", token, "{\"name\":\"Sessions\"}"));
        String env = environment.path("id").asText();
        ApiClient.expect(200, api.send("PATCH", "/api/v1/environments/" + env, token, "{\"newDeviceTrust\":\"TRUSTED\"}"));
        List<Device> devices = enroll(env, environment.path("serverId").asText(), deviceCount, concurrency);
        System.out.printf("enrolled %d TRUSTED devices%n", devices.size());
        run(concurrency, devices, warmup, env);
        api.failures().clear();
        ProcessCpu self = ProcessCpu.self();
        long serverBefore = server == null ? 0 : server.nanos();
        long selfBefore = self.nanos();
        long started = System.nanoTime();
        long opened = run(concurrency, devices, sessionCount, env);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("sessions established: %d in %.2f s = %.0f/s (concurrency %d, %d devices)%n", opened,
                seconds, opened / seconds, concurrency, devices.size());
        if (server != null && opened > 0) {
            System.out.printf("cpu per session: server %.0f µs, load generator %.0f µs%n",
                    (server.nanos() - serverBefore) / 1e3 / opened, (self.nanos() - selfBefore) / 1e3 / opened);
        }
        if (!api.failures().isEmpty()) {
            System.out.println("failures: " + api.failures());
        }
    }

    private List<Device> enroll(String env, String serverId, int count, int concurrency) throws Exception {
        List<Device> devices = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        String run = Long.toString(System.currentTimeMillis(), 36);
        ApiClient.parallel(concurrency, () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                byte[] privateKey = LoadKeys.newPrivateKey();
                JsonNode receipt = ApiClient.expect(202, api.send("POST", "/api/v1/join-requests", null, "{\"serverId\":\""
                        + serverId + "\",\"accountHandle\":\"session-" + run + "-" + i + "\",\"devicePublicKey\":\""
                        + LoadKeys.publicKeyText(privateKey) + "\"}"));
                JsonNode approved = ApiClient.expect(200, api.send("POST", "/api/v1/environments/" + env + "/join-requests/"
                        + receipt.path("id").asText() + "/approve", token, ApiClient.approval(receipt)));
                devices.add(new Device(approved.path("deviceId").asText(), privateKey, LoadKeys.publicKey(privateKey)));
            }
            return 0;
        });
        return new ArrayList<>(devices);
    }

    /** Workers take session numbers until {@code count}; worker w uses the devices w, w + C, w + 2C, … */
    private long run(int concurrency, List<Device> devices, int count, String env) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger worker = new AtomicInteger();
        return ApiClient.parallel(concurrency, () -> {
            int w = worker.getAndIncrement();
            int opened = 0;
            int turn = 0;
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                Device device = devices.get((w + concurrency * turn++) % devices.size());
                ApiClient.Answer challenge = api.send("POST", "/api/v1/environments/" + env + "/sessions/challenge",
                        null, "{\"deviceId\":\"" + device.id() + "\"}");
                if (!api.ok(200, challenge, "challenge")) {
                    continue;
                }
                String nonce = ApiClient.JSON.readTree(challenge.body()).path("nonce").asText();
                byte[] message = ("enigm-session-v1\n" + env + "\n" + device.id() + "\n" + nonce)
                        .getBytes(StandardCharsets.UTF_8);
                byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
                Ed25519.sign(device.privateKey(), 0, device.publicKey(), 0, message, 0, message.length, signature, 0);
                ApiClient.Answer session = api.send("POST", "/api/v1/environments/" + env + "/sessions", null,
                        "{\"deviceId\":\"" + device.id() + "\",\"nonce\":\"" + nonce + "\",\"signature\":\""
                                + Base64.getEncoder().encodeToString(signature) + "\",\"evidence\":{}}");
                if (api.ok(201, session, "session")) {
                    opened++;
                }
            }
            return opened;
        });
    }

}
