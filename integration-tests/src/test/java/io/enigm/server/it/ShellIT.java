package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operator's shell of a running distribution, through {@code bin/enigm-server shell}:
 * {@code enigm:environments} shows what the API shows (and never a server ID), {@code enigm:audit-verify}
 * finds the chain intact and is audited with the shell's operator as actor, as is every command,
 * a bundle stopped from the shell is audited with that operator too,
 * {@code enigm:backup} writes a backup that the backup tool's restore accepts, the way in is a Unix
 * socket only the server's user can reach, and the server listens on no TCP port but its HTTP one.
 */
public class ShellIT {

    private static final String OPERATOR = "operator:shell";

    private Path dist;
    private Path root;
    private ServerProcess server;

    @After
    public void cleanUp() throws Exception {
        if (server != null) {
            server.stop();
        }
        for (Path directory : new Path[] {dist, root}) {
            if (directory != null) {
                Distributions.delete(directory);
            }
        }
    }

    @Test
    public void theLocalShellShowsEnvironmentsVerifiesTheAuditChainAndBacksUpWhileNothingListensOnTheNetwork()
            throws Exception {
        dist = Distributions.privateCopy();
        root = Files.createTempDirectory("enigm-shell-");
        Path home = root.resolve("home");
        server = new ServerProcess(home, "", dist);
        server.start();
        Api api = server.api();
        String owner = server.secret("owner-token");
        Path socket = home.resolve("run/shell.sock");
        awaitFile(socket);

        String alpha = api.post("/api/v1/environments", owner, "{\"name\":\"Alpha\"}").json().path("id").asText();
        String beta = api.post("/api/v1/environments", owner, "{\"name\":\"Beta\"}").json().path("id").asText();
        api.enrolMember("/api/v1/environments/" + alpha, owner, "alice@enigm", DeviceKey.generate().publicKey());

        Distributions.Launched listed = shell(home, "enigm:environments");
        assertEquals(listed.output(), 0, listed.exit());
        Map<String, List<String>> lines = rowsById(listed.output());
        JsonNode environments = api.get("/api/v1/environments?limit=500", owner).json().path("items");
        assertEquals(listed.output(), environments.size(), lines.size());
        for (JsonNode environment : environments) {
            List<String> line = lines.get(environment.path("id").asText());
            assertTrue("each environment of the API is listed: " + environment, line != null);
            assertEquals("its name", environment.path("name").asText(), line.get(1));
            assertEquals("its state", environment.path("state").asText(), line.get(2));
            assertFalse("never its server ID", listed.output().contains(environment.path("serverId").asText()));
        }
        assertEquals("alice is Alpha's one member", "1", lines.get(alpha).get(3));
        assertEquals("Beta has none", "0", lines.get(beta).get(3));
        assertTrue(listed.output(), listed.output().contains("\n" + environments.size() + " environments\n"));

        Distributions.Launched verified = shell(home, "enigm:audit-verify");
        assertEquals(verified.output(), 0, verified.exit());
        assertTrue(verified.output(), verified.output().startsWith("intact: "));
        JsonNode chain = api.get("/api/v1/audit/verify", owner).json();
        assertTrue("the API agrees: " + chain, chain.path("intact").asBoolean());

        Path backup = root.resolve("backup");
        Distributions.Launched backedUp = shell(home, "enigm:backup", backup.toString());
        assertEquals(backedUp.output(), 0, backedUp.exit());
        assertTrue(backedUp.output(), backedUp.output().contains("without secrets/"));
        Distributions.Launched refused = shell(home, "enigm:backup", "relative/dir");
        assertEquals("a relative target is refused with the usage: " + refused.output(), 1, refused.exit());
        assertTrue(refused.output(), refused.output().contains("usage: enigm:backup DIR"));
        Distributions.Launched restored = Distributions.launcher(dist, "restore", backup.toString(), "--home",
                root.resolve("restored").toString());
        assertEquals("the backup tool's restore checks the copy and accepts it: " + restored.output(), 0,
                restored.exit());

        // a Gogo command that changes the framework: the audit of operator actions names the shell's operator
        Distributions.Launched bundles = shell(home, "lb", "-s");
        String dsPlugin = bundles.output().lines()
                .filter(line -> line.contains("org.apache.felix.webconsole.plugins.ds")).findFirst()
                .orElseThrow(() -> new AssertionError(bundles.output())).split("\\|")[0].trim();
        Distributions.Launched stopped = shell(home, "stop", dsPlugin);
        assertEquals(stopped.output(), 0, stopped.exit());
        Distributions.Launched started = shell(home, "start", dsPlugin);
        assertEquals(started.output(), 0, started.exit());

        List<JsonNode> byShell = auditedBy(api, owner, OPERATOR);
        assertTrue("stopping a bundle from the shell is audited with the shell's operator: " + byShell,
                byShell.stream().anyMatch(record -> record.path("action").asText().equals("bundle.stop")
                        && record.path("target").asText().startsWith("org.apache.felix.webconsole.plugins.ds@")));
        assertTrue("the verification is audited as the console's is: " + byShell, byShell.stream().anyMatch(
                record -> record.path("action").asText().equals("audit.verify")
                        && record.path("outcome").asText().equals("ALLOWED")));
        for (String command : List.of("enigm:environments", "enigm:audit-verify", "enigm:backup")) {
            assertTrue("each command is audited by its name: " + command, byShell.stream().anyMatch(
                    record -> record.path("action").asText().equals("shell.command")
                            && record.path("target").asText().equals(command)));
        }
        assertTrue("a refused command is audited as failed", byShell.stream().anyMatch(
                record -> record.path("target").asText().equals("enigm:backup")
                        && record.path("outcome").asText().equals("FAILED")));
        assertFalse("arguments stay out of the audit", byShell.toString().contains(backup.toString()));

        assertEquals("only the server's user may enter the socket's directory", "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        assertEquals("only the server's user may connect", "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("the server listens on its HTTP port and no other TCP port", Set.of(server.port()),
                listeningTcpPorts(server.pid()));

        assertTrue("exits within 30 s of SIGTERM", server.stop());
        assertFalse("the socket goes with the server", Files.exists(socket));
        Distributions.Launched noServer = shell(home, "enigm:environments");
        assertEquals(noServer.output(), 1, noServer.exit());
        assertTrue(noServer.output(), noServer.output().contains("is the server running"));
    }

    private Distributions.Launched shell(Path home, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("shell", "--home", home.toString()));
        args.addAll(List.of(command));
        return Distributions.launcher(dist, args.toArray(String[]::new));
    }

    /** The table's rows by their first column, each split where two or more blanks separate columns. */
    private static Map<String, List<String>> rowsById(String table) {
        Map<String, List<String>> rows = new HashMap<>();
        List<String> lines = table.lines().toList();
        for (String line : lines.subList(1, lines.size() - 1)) {
            List<String> cells = List.of(line.split(" {2,}"));
            rows.put(cells.get(0), cells);
        }
        return rows;
    }

    private static List<JsonNode> auditedBy(Api api, String owner, String actor) {
        List<JsonNode> records = new ArrayList<>();
        String cursor = "0";
        while (cursor != null) {
            Api.Answer page = api.get("/api/v1/audit?limit=500&cursor=" + cursor, owner);
            assertEquals(page.body(), 200, page.status());
            page.json().path("items").forEach(record -> {
                if (actor.equals(record.path("actor").asText(null))) {
                    records.add(record);
                }
            });
            cursor = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
        }
        return records;
    }

    /** The TCP ports the process listens on: its sockets' inodes found among the listening ones (state 0A). */
    private static Set<Integer> listeningTcpPorts(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String local = fields[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(file)) {
            assertTrue("the shell's socket appears within 30 s: " + file, System.nanoTime() < deadline);
            Thread.sleep(50);
        }
    }
}
