package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Durability that can fail: clients join and are approved while an administrator changes devices'
 * trust, and the server process is killed with SIGKILL in the middle of it, twenty times in a row
 * against the assembled distribution. After each restart every acknowledged write is there, nothing
 * unacknowledged is half there (an approval is its member, its device and its audit record, or
 * none of them), and the audit chain verifies. In one round the database's files may not grow (as
 * on a full disk): writes are refused with a 500 problem, nothing acknowledged is lost, and writes
 * succeed again once the files may grow, without a restart.
 */
public class KilledServerDurabilityIT {

    private static final int ROUNDS = 20;
    private static final int FULL_DISK_ROUND = 10;
    /**
     * Enough clients that commits are always under way when the process dies: with two, an audit
     * record committed one transaction after its approval's answer went unseen through twenty
     * kills; with six, that fault fails the first round.
     */
    private static final int CLIENTS = 6;
    private static final int ADMINISTERED_DEVICES = 6;
    /** Below the size of the database and its write-ahead log once the environment exists. */
    private static final long FULL_DISK_BYTES = 64 * 1024;

    @Test
    public void everyAcknowledgedWriteSurvivesTwentyKillsAndNothingElseIsHalfThere() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path home = Files.createTempDirectory("enigm-kill-");
        try (ServerProcess server = new ServerProcess(home, "")) {
            server.start();
            Api api = server.api();
            String owner = server.secret("owner-token");
            Api.Answer created = api.post("/api/v1/environments", owner, "{\"name\":\"Durability\"}");
            assertEquals(created.body(), 201, created.status());
            String base = "/api/v1/environments/" + created.json().path("id").asText();
            assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}").status());
            Ledger ledger = new Ledger();
            for (int i = 0; i < ADMINISTERED_DEVICES; i++) {
                Api.Enrolled device = api.enrolMember(base, owner, "administered-" + i + "@enigm",
                        DeviceKey.generate().publicKey());
                ledger.approved.put(device.requestId(), device);
                ledger.trust.put(device.deviceId(), "TRUSTED");
            }
            for (int round = 1; round <= ROUNDS; round++) {
                String what = "round " + round + " (seed " + seed + ")";
                Writers writers = new Writers(api, owner, base, ledger);
                writers.awaitProgress(1, what);
                if (round == FULL_DISK_ROUND) {
                    fullDisk(server, writers, what);
                }
                Thread.sleep(50 + random.nextInt(400));
                server.kill();
                writers.stop();
                assertEquals(what + ": unexpected answers", List.of(), ledger.unexpected);
                server.start();
                verify(api, owner, base, ledger, what);
            }
        } finally {
            Distributions.delete(home);
        }
    }

    /**
     * The server may not write beyond the first 64 KiB of any file (RLIMIT_FSIZE of the running
     * process, which the JVM turns into failed writes): the database's writes fail as on a full
     * disk, are refused with a 500 problem and acknowledge nothing; once the limit is lifted, writes
     * succeed again in the same process.
     */
    private static void fullDisk(ServerProcess server, Writers writers, String what) throws Exception {
        int refusedBefore = writers.ledger.refused.get();
        limitFileSize(server.pid(), Long.toString(FULL_DISK_BYTES));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (writers.ledger.refused.get() < refusedBefore + 5) {
                assertTrue(what + ": writes are refused while the files may not grow", System.nanoTime() < deadline);
                Thread.sleep(20);
            }
        } finally {
            limitFileSize(server.pid(), "unlimited");
        }
        writers.awaitProgress(5, what + ", after the disk has room again");
    }

    /** prlimit(1) of util-linux: sets a running process's file size limit. */
    private static void limitFileSize(long pid, String bytes) throws IOException, InterruptedException {
        Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--fsize=" + bytes + ":unlimited")
                .redirectErrorStream(true).start();
        String output = new String(prlimit.getInputStream().readAllBytes());
        assertEquals("prlimit (util-linux) sets the server's file size limit: " + output, 0, prlimit.waitFor());
    }

    private static void verify(Api api, String owner, String base, Ledger ledger, String what) {
        JsonNode chain = api.get("/api/v1/audit/verify", owner).json();
        assertTrue(what + ": the audit chain verifies: " + chain, chain.path("intact").asBoolean());

        Map<String, JsonNode> members = all(api, owner, base + "/members?");
        Map<String, JsonNode> devices = all(api, owner, base + "/devices?");
        Map<String, JsonNode> approved = all(api, owner, base + "/join-requests?state=APPROVED&");
        Map<String, JsonNode> pending = all(api, owner, base + "/join-requests?state=PENDING&");

        for (String request : ledger.filed) {
            assertTrue(what + ": acknowledged join request " + request + " is kept",
                    pending.containsKey(request) || approved.containsKey(request));
        }
        ledger.approved.forEach((request, enrolled) -> {
            JsonNode decided = approved.get(request);
            assertTrue(what + ": acknowledged approval " + request + " is kept", decided != null);
            assertEquals(what, enrolled.memberId(), decided.path("memberId").asText());
            assertEquals(what, enrolled.deviceId(), decided.path("deviceId").asText());
            assertTrue(what + ": member " + enrolled.memberId() + " is kept", members.containsKey(enrolled.memberId()));
            assertEquals(what, "ACTIVE", members.get(enrolled.memberId()).path("state").asText());
        });

        // Nothing half there: members and devices are exactly those of approved requests.
        Set<String> approvedMembers = new HashSet<>();
        Map<String, String> approvedDevices = new HashMap<>();
        approved.values().forEach(request -> {
            approvedMembers.add(request.path("memberId").asText());
            approvedDevices.put(request.path("deviceId").asText(), request.path("memberId").asText());
        });
        assertEquals(what + ": members", approvedMembers, members.keySet());
        assertEquals(what + ": devices", approvedDevices.keySet(), devices.keySet());
        devices.forEach((id, device) -> assertEquals(what + ": member of device " + id, approvedDevices.get(id),
                device.path("memberId").asText()));

        // Each approval and its audit record were committed together.
        Set<String> audited = new HashSet<>();
        for (String line : api.get("/api/v1/audit/export", owner).body().split("\n")) {
            JsonNode record = parse(line);
            if (record.path("action").asText().equals("join-request.approve")
                    && record.path("outcome").asText().equals("ALLOWED")) {
                audited.add(record.path("target").asText());
            }
        }
        assertEquals(what + ": audited approvals", approved.keySet(), audited);

        // A device's trust is its last acknowledged change, or the change in flight when the process died.
        ledger.trust.forEach((device, acknowledged) -> {
            String now = devices.get(device).path("trust").asText();
            String inFlight = ledger.inFlight.get(device);
            assertTrue(what + ": device " + device + " is " + now + ", acknowledged " + acknowledged + ", in flight "
                    + inFlight, now.equals(acknowledged) || now.equals(inFlight));
            ledger.trust.put(device, now);
        });
        ledger.inFlight.clear();
    }

    /** Every item of a paged list, by id. */
    private static Map<String, JsonNode> all(Api api, String owner, String list) {
        Map<String, JsonNode> items = new HashMap<>();
        String cursor = null;
        do {
            Api.Answer page = api.get(list + "limit=500" + (cursor == null ? "" : "&cursor=" + cursor), owner);
            assertEquals(page.body(), 200, page.status());
            page.json().path("items").forEach(item -> items.put(item.path("id").asText(), item));
            cursor = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
        } while (cursor != null);
        return items;
    }

    private static JsonNode parse(String line) {
        try {
            return Api.JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    /** What the server acknowledged, and what was in flight; written by the writers, read after each restart. */
    private static final class Ledger {
        final Set<String> filed = ConcurrentHashMap.newKeySet();
        final Map<String, Api.Enrolled> approved = new ConcurrentHashMap<>();
        final Map<String, String> trust = new ConcurrentHashMap<>();
        final Map<String, String> inFlight = new ConcurrentHashMap<>();
        final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
    }

    /** Clients joining and being approved, and an administrator switching devices' trust, until stopped. */
    private static final class Writers {

        final Ledger ledger;
        private final Api api;
        private final String owner;
        private final String base;
        private final String serverId;
        private volatile boolean running = true;
        private final List<Thread> threads = new ArrayList<>();

        Writers(Api api, String owner, String base, Ledger ledger) {
            this.api = api;
            this.owner = owner;
            this.base = base;
            this.ledger = ledger;
            this.serverId = api.get(base, owner).json().path("serverId").asText();
            for (int i = 0; i < CLIENTS; i++) {
                threads.add(new Thread(this::joinAndApprove, "client-" + i));
            }
            threads.add(new Thread(this::changeTrust, "administrator"));
            threads.forEach(Thread::start);
        }

        /** Waits, at most 30 s, for {@code writes} more acknowledged writes. */
        void awaitProgress(int writes, String what) throws InterruptedException {
            int target = ledger.acknowledged.get() + writes;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ledger.acknowledged.get() < target) {
                assertTrue(what + ": writes are acknowledged", System.nanoTime() < deadline);
                Thread.sleep(5);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }

        private void joinAndApprove() {
            while (running) {
                DeviceKey key = DeviceKey.generate();
                String body = Api.JSON.createObjectNode().put("serverId", serverId)
                        .put("accountHandle", UUID.randomUUID() + "@enigm").put("devicePublicKey", key.encodedPublicKey())
                        .toString();
                Api.Answer filed = attempt(() -> api.post("/api/v1/join-requests", null, body));
                if (!answered(filed, 202)) {
                    continue;
                }
                String request = filed.json().path("id").asText();
                ledger.filed.add(request);
                ledger.acknowledged.incrementAndGet();
                String fingerprint;
                try {
                    fingerprint = api.pendingFingerprint(base, owner, request);
                } catch (AssertionError e) {
                    continue; // the server is gone or refused the read
                }
                Api.Answer approved = attempt(() -> api.post(base + "/join-requests/" + request + "/approve", owner,
                        Api.JSON.createObjectNode().put("deviceFingerprint", fingerprint).toString()));
                if (answered(approved, 200)) {
                    JsonNode decided = approved.json();
                    ledger.approved.put(request, new Api.Enrolled(request, decided.path("memberId").asText(),
                            decided.path("deviceId").asText()));
                    ledger.acknowledged.incrementAndGet();
                }
            }
        }

        private void changeTrust() {
            List<String> devices = new ArrayList<>(ledger.trust.keySet());
            while (running) {
                for (String device : devices) {
                    String next = ledger.trust.get(device).equals("TRUSTED") ? "RESTRICTED" : "TRUSTED";
                    ledger.inFlight.put(device, next);
                    Api.Answer changed = attempt(() -> api.post(base + "/devices/" + device + "/trust", owner,
                            "{\"state\":\"" + next + "\"}"));
                    if (answered(changed, 200)) {
                        ledger.trust.put(device, next);
                        ledger.inFlight.remove(device);
                        ledger.acknowledged.incrementAndGet();
                    }
                }
            }
        }

        /**
         * Whether the write was acknowledged. A dead server is no answer; a refused write must be a
         * 500 problem (the database refused it); anything else is recorded as unexpected.
         */
        private boolean answered(Api.Answer answer, int success) {
            if (answer == null) {
                return false;
            }
            if (answer.status() == success) {
                return true;
            }
            try {
                answer.problem(500);
                ledger.refused.incrementAndGet();
            } catch (AssertionError e) {
                ledger.unexpected.add(answer.status() + " " + answer.body());
            }
            return false;
        }

        /** The answer, or {@code null} when the connection failed (the process died under it). */
        private Api.Answer attempt(Supplier<Api.Answer> call) {
            try {
                return call.get();
            } catch (AssertionError e) {
                pause();
                return null;
            }
        }

        private static void pause() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
