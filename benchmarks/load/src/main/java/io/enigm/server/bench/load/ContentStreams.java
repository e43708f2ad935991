package io.enigm.server.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Idle server-sent event streams of new content ({@code GET …/content/events}) held open at once,
 * then new objects announced on all of them. DEVICES members' devices get sessions and STREAMS
 * streams are spread over them (several on one session, as a device with several windows would);
 * one more member uploads. All streams share one {@link HttpClient}: one selector thread and a
 * small pool read every connection, so the client holds no thread per stream either.
 *
 * <p>Prints the server's resident memory before the streams open and once they have been open
 * and idle for IDLE_SECONDS, then, after a few untimed ones, uploads NOTIFICATIONS messages
 * INTERVAL_MS apart, each for every member (no recipients), and prints per delivery the time from
 * the upload's acknowledgement to the id's arrival on the stream, and how many deliveries never came.
 *
 * <pre>
 * ContentStreams BASE_URL OWNER_TOKEN_FILE STREAMS DEVICES NOTIFICATIONS INTERVAL_MS IDLE_SECONDS SERVER_PID
 * </pre>
 */
public final class ContentStreams {

    /** Streams being opened at once: more only queue in the server's accept backlog. */
    private static final int OPENING = 64;
    /** How long to wait for any stream to open before giving up, and for the last deliveries. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration LAST_DELIVERIES = Duration.ofSeconds(10);
    private static final int MESSAGE_BYTES = 256;
    /** Uploads announced before the measured ones, so that the delivery path is compiled. */
    private static final int UNTIMED = 3;

    private final ApiClient api;
    private final ContentMembers members;
    private final ProcessMemory serverMemory;
    private final ProcessCpu serverCpu;

    /** One upload: its id, and when it was sent and acknowledged. */
    private record Notification(String id, long sent, long acknowledged) {
    }

    private ContentStreams(String base, String ownerToken, long serverPid) {
        this.api = new ApiClient(base);
        this.members = new ContentMembers(api, ownerToken);
        this.serverMemory = ProcessMemory.of(serverPid);
        this.serverCpu = ProcessCpu.of(serverPid);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            throw new IllegalArgumentException("usage: BASE_URL OWNER_TOKEN_FILE STREAMS DEVICES NOTIFICATIONS"
                    + " INTERVAL_MS IDLE_SECONDS SERVER_PID");
        }
        new ContentStreams(args[0], Files.readString(Path.of(args[1])).strip(), Long.parseLong(args[7]))
                .run(args[0], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]), Integer.parseInt(args[6]));
        // the shared client's selector thread does not end by itself
        System.exit(0);
    }

    private void run(String base, int streamCount, int deviceCount, int notifications, int intervalMillis,
            int idleSeconds) throws Exception {
        ContentMembers.Environment environment = members.environment("Content streams");
        List<String> sessions = members.sessions(environment, deviceCount + 1, 8);
        String sender = sessions.remove(sessions.size() - 1);
        System.out.printf("%d members' devices with sessions, and one that uploads%n", sessions.size());
        Thread.sleep(2000);
        long before = serverMemory.residentBytes();

        ExecutorService pool = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "event-lines");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI events = URI.create(base + "/api/v1/environments/" + environment.id() + "/content/events");
        List<FollowedStream> streams = open(client, events, sessions, streamCount);
        long open = serverMemory.residentBytes();

        ProcessCpu self = ProcessCpu.self();
        long serverCpuBefore = serverCpu.nanos();
        long selfCpuBefore = self.nanos();
        Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
        double serverIdle = (serverCpu.nanos() - serverCpuBefore) / 1e6 / idleSeconds;
        double selfIdle = (self.nanos() - selfCpuBefore) / 1e6 / idleSeconds;
        long idle = serverMemory.residentBytes();
        System.out.printf("server RSS (MB = 10^6 bytes): %.1f MB before the streams, %.1f MB all open, %.1f MB after"
                + " %d s idle: growth %.1f MB for %d streams%n", before / 1e6, open / 1e6, idle / 1e6, idleSeconds,
                (idle - before) / 1e6, streamCount);
        System.out.printf("while idle: server CPU %.1f ms/s, load generator CPU %.1f ms/s; load generator RSS %.1f MB%n",
                serverIdle, selfIdle, ProcessMemory.self().residentBytes() / 1e6);

        List<FollowedStream> listening = streams.stream().filter(FollowedStream::follows).toList();
        int untimed = notify(environment.id(), sender, UNTIMED, intervalMillis).size();
        awaitDeliveries(listening, untimed);
        api.failures().clear();
        List<Notification> sent = notify(environment.id(), sender, notifications, intervalMillis);
        awaitDeliveries(listening, untimed + sent.size());
        report(listening, sent, intervalMillis);
        streams.forEach(FollowedStream::close);
    }

    /**
     * Opens the streams, {@link #OPENING} at a time, round robin over the sessions; answers them all.
     * Gives up when none settles (follows or fails) for {@link #PATIENCE}.
     */
    private List<FollowedStream> open(HttpClient client, URI events, List<String> sessions, int count)
            throws InterruptedException {
        Semaphore opening = new Semaphore(OPENING);
        List<FollowedStream> streams = new ArrayList<>(count);
        long started = System.nanoTime();
        for (int i = 0; i < count && opening.tryAcquire(PATIENCE.toSeconds(), TimeUnit.SECONDS); i++) {
            streams.add(FollowedStream.open(client, events, sessions.get(i % sessions.size()),
                    stream -> opening.release()));
        }
        int unsettled = OPENING;
        while (unsettled > 0 && opening.tryAcquire(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            unsettled--;
        }
        long following = streams.stream().filter(FollowedStream::follows).count();
        Map<String, Integer> failures = new TreeMap<>();
        streams.stream().map(FollowedStream::failure).filter(failure -> failure != null)
                .forEach(failure -> failures.merge(failure, 1, Integer::sum));
        System.out.printf("streams following: %d of %d in %.1f s (%d opening at a time, %d sessions)%s%s%n",
                following, count, (System.nanoTime() - started) / 1e9, OPENING, sessions.size(),
                failures.isEmpty() ? "" : "; failed: " + failures,
                streams.size() == count && unsettled == 0 ? "" : "; gave up after " + PATIENCE.toSeconds()
                        + " s without progress, " + streams.size() + " sent");
        return streams;
    }

    /** Uploads one message for every member at a time, {@code intervalMillis} apart. */
    private List<Notification> notify(String env, String sender, int count, int intervalMillis) throws Exception {
        byte[] message = new byte[MESSAGE_BYTES];
        new SecureRandom().nextBytes(message);
        List<Notification> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            ApiClient.Answer answer = api.sendBytes("/api/v1/environments/" + env + "/content", sender,
                    Map.of("X-Enigm-Surface", "MESSAGES"), message);
            long acknowledged = System.nanoTime();
            if (api.ok(201, answer, "upload")) {
                sent.add(new Notification(ApiClient.JSON.readTree(answer.body()).path("id").asText(), started,
                        acknowledged));
            }
            Thread.sleep(intervalMillis);
        }
        return sent;
    }

    /** Waits until every stream has every id, or {@link #LAST_DELIVERIES} have passed. */
    private static void awaitDeliveries(List<FollowedStream> listening, int notifications) throws InterruptedException {
        long expected = (long) listening.size() * notifications;
        long deadline = System.nanoTime() + LAST_DELIVERIES.toNanos();
        while (listening.stream().mapToLong(FollowedStream::arrivals).sum() < expected
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private void report(List<FollowedStream> listening, List<Notification> sent, int intervalMillis) {
        Latencies sinceAcknowledged = new Latencies();
        Latencies sinceSent = new Latencies();
        // how long the server took to reach every stream: its fan-out, one stream after the other
        Latencies firstToLast = new Latencies();
        long missing = 0;
        for (Notification notification : sent) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (FollowedStream stream : listening) {
                Long arrival = stream.arrival(notification.id());
                if (arrival == null) {
                    missing++;
                } else {
                    sinceAcknowledged.add(arrival - notification.acknowledged());
                    sinceSent.add(arrival - notification.sent());
                    first = Math.min(first, arrival);
                    last = Math.max(last, arrival);
                }
            }
            if (first <= last) {
                firstToLast.add(last - first);
            }
        }
        System.out.printf("notifications: %d uploads %d ms apart after %d untimed (failed: %s), each for %d following"
                + " streams: %d deliveries expected, %d received, %d missing%n", sent.size(), intervalMillis, UNTIMED,
                api.failures(),
                listening.size(), (long) sent.size() * listening.size(), sinceAcknowledged.count(), missing);
        System.out.printf("latency, upload acknowledged -> id received: %s (%d of the ids came before the"
                + " acknowledgement: negative)%n", sinceAcknowledged.summary(), sinceAcknowledged.negative());
        System.out.printf("latency, upload sent -> id received: %s%n", sinceSent.summary());
        System.out.printf("per upload, first stream to last stream: %s%n", firstToLast.summary());
        System.out.printf("streams still following at the end: %d of %d%n",
                listening.stream().filter(FollowedStream::follows).count(), listening.size());
    }
}
