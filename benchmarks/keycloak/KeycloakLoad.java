import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load generator for Keycloak: run with `java KeycloakLoad.java MODE URL ADMIN PASSWORD CONCURRENCY WARMUP
 * MEASURED [PID CLK_TCK]`. Gets an admin token (master realm, admin-cli, password grant), raises the master
 * realm's access token lifespan to 3600 s and creates realm "bench". Then WARMUP operations untimed and
 * MEASURED timed, from CONCURRENCY threads over HTTP/1.1:
 * <ul>
 * <li>{@code users}: POST /admin/realms/bench/users {"username":"u<N>","enabled":true}; only 201 counts, a 401
 * refreshes the admin token and retries;
 * <li>{@code tokens}: a confidential client "bench-client" (client secret, service account, no other flow), then
 * POST /realms/bench/protocol/openid-connect/token grant_type=client_credentials; only a 200 with an
 * access token counts.
 * </ul>
 * With PID, the CPU time of that process (Keycloak), of this one and of the machine during the measured phase.
 */
public class KeycloakLoad {
    static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    static final String CLIENT = "bench-client";
    static final String CLIENT_SECRET = "bench-client-secret";

    /** One operation of the load; null when it succeeded, else what went wrong. */
    interface Operation {
        String run(int n) throws Exception;
    }
    static HttpClient client;
    static String base, admin, password;
    static volatile String token;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        args = Arrays.copyOfRange(args, 1, args.length);
        base = args[0];
        admin = args[1];
        password = args[2];
        int concurrency = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int measured = Integer.parseInt(args[5]);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(10)).build();

        refreshToken();
        HttpResponse<String> r = send("PUT", "/admin/realms/master", "{\"accessTokenLifespan\":3600}");
        check(r, 204, "extend master token lifespan");
        refreshToken();
        r = send("POST", "/admin/realms", "{\"realm\":\"bench\",\"enabled\":true}");
        check(r, 201, "create realm bench");
        Operation operation;
        String unit;
        if (mode.equals("tokens")) {
            r = send("POST", "/admin/realms/bench/clients", "{\"clientId\":\"" + CLIENT + "\",\"enabled\":true,"
                    + "\"publicClient\":false,\"clientAuthenticatorType\":\"client-secret\",\"secret\":\"" + CLIENT_SECRET
                    + "\",\"serviceAccountsEnabled\":true,\"standardFlowEnabled\":false,\"directAccessGrantsEnabled\":false}");
            check(r, 201, "create confidential client " + CLIENT);
            operation = n -> clientCredentialsToken();
            unit = "tokens";
        } else if (mode.equals("users")) {
            operation = KeycloakLoad::createUser;
            unit = "users";
        } else {
            throw new IllegalArgumentException("mode is users or tokens, not " + mode);
        }

        Phase w = phase(operation, 0, warmup, concurrency);
        System.out.printf("warm-up: %d %s, %d ok, %d errors, %.1f %s/s%n",
                warmup, unit, w.ok.get(), w.errors.get(), w.ok.get() / w.seconds, unit);
        if (w.firstError != null) System.out.println("first warm-up error: " + w.firstError);
        long kcPid = args.length > 6 ? Long.parseLong(args[6]) : -1;
        long[] cpu0 = cpu(kcPid);
        Phase m = phase(operation, warmup, measured, concurrency);
        long[] cpu1 = cpu(kcPid);
        long[] lat = Arrays.copyOf(m.latencies, m.ok.get());
        Arrays.sort(lat);
        System.out.printf("measured: %d %s, concurrency %d, %d ok, %d errors, %d admin token refreshes, "
                        + "%.2f s, %.1f %s/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                measured, unit, concurrency, m.ok.get(), m.errors.get(), refreshes.get(), m.seconds,
                m.ok.get() / m.seconds, unit, pct(lat, 0.50), pct(lat, 0.99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
        if (m.firstError != null) System.out.println("first error: " + m.firstError);
        if (cpu0 != null && cpu1 != null) {
            double tick = args.length > 7 ? Double.parseDouble(args[7]) : 100;
            double machine = (cpu1[0] - cpu0[0]) / tick, kc = (cpu1[1] - cpu0[1]) / tick, self = (cpu1[2] - cpu0[2]) / tick;
            System.out.printf("cpu during measured phase: machine busy %.1f of %.1f core-s; Keycloak %.1f s (%.2f ms per %s), "
                            + "load generator %.1f s, everything else %.1f s%n", machine, m.seconds * Runtime.getRuntime().availableProcessors(),
                    kc, kc * 1000 / Math.max(1, m.ok.get()), unit.substring(0, unit.length() - 1), self, machine - kc - self);
        }
        System.out.printf("RESULT %s_per_s=%.1f p50_ms=%.1f p99_ms=%.1f ok=%d errors=%d%n",
                unit, m.ok.get() / m.seconds, pct(lat, 0.50), pct(lat, 0.99), m.ok.get(), m.errors.get());
        System.exit(0);
    }

    static final AtomicInteger refreshes = new AtomicInteger();

    static final class Phase {
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        long[] latencies;
        double seconds;
        volatile String firstError;
    }

    static Phase phase(Operation operation, int from, int count, int concurrency) throws Exception {
        Phase p = new Phase();
        p.latencies = new long[count];
        AtomicInteger next = new AtomicInteger(from);
        AtomicInteger slot = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            pool.submit(() -> {
                int n;
                while ((n = next.getAndIncrement()) < from + count) {
                    long t0 = System.nanoTime();
                    String error;
                    try {
                        error = operation.run(n);
                    } catch (Exception e) {
                        error = e.toString();
                    }
                    if (error == null) {
                        p.latencies[slot.getAndIncrement()] = System.nanoTime() - t0;
                        p.ok.incrementAndGet();
                    } else {
                        p.errors.incrementAndGet();
                        if (p.firstError == null) p.firstError = error;
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        p.seconds = (System.nanoTime() - start) / 1e9;
        return p;
    }

    /** Creates user u<100000 + n> (usernames need 3 or more characters); a 401 refreshes the admin token once. */
    static String createUser(int n) throws Exception {
        String body = "{\"username\":\"u" + (100000 + n) + "\",\"enabled\":true}";
        for (int attempt = 0; ; attempt++) {
            String used = token;
            HttpResponse<String> r = send("POST", "/admin/realms/bench/users", body);
            if (r.statusCode() == 201) {
                return null;
            }
            if (r.statusCode() == 401 && attempt == 0) {
                refreshes.incrementAndGet();
                refreshIfStale(used);
                continue;
            }
            return r.statusCode() + " " + r.body();
        }
    }

    /** One client-credentials grant of the confidential client. */
    static String clientCredentialsToken() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + CLIENT + "&client_secret=" + CLIENT_SECRET;
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/realms/bench/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 && TOKEN.matcher(r.body()).find() ? null : r.statusCode() + " " + r.body();
    }

    /** Busy jiffies of the machine, of process kcPid, of this process; null when /proc is unreadable. */
    static long[] cpu(long kcPid) {
        if (kcPid < 0) return null;
        try {
            String[] all = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < all.length; i++) if (i != 4 && i != 5) busy += Long.parseLong(all[i]); // not idle, iowait
            if (all.length > 9) busy -= Long.parseLong(all[9]) + (all.length > 10 ? Long.parseLong(all[10]) : 0); // guest in user
            return new long[] {busy, procTicks("/proc/" + kcPid + "/stat"), procTicks("/proc/self/stat")};
        } catch (Exception e) {
            return null;
        }
    }

    static long procTicks(String file) throws Exception {
        String s = java.nio.file.Files.readString(java.nio.file.Path.of(file));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    static synchronized void refreshIfStale(String used) throws Exception {
        if (used == token) refreshToken();
    }

    static synchronized void refreshToken() throws Exception {
        String form = "grant_type=password&client_id=admin-cli&username=" + URLEncoder.encode(admin, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        check(r, 200, "admin token");
        Matcher m = TOKEN.matcher(r.body());
        if (!m.find()) throw new IllegalStateException("no access_token in " + r.body());
        token = m.group(1);
    }

    static HttpResponse<String> send(String method, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void check(HttpResponse<String> r, int expected, String what) {
        if (r.statusCode() != expected)
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
    }
}
