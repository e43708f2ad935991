package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;

/**
 * The audit export downloaded over HTTP verifies with the standalone verifier, run as its own
 * process on the file, with no access to the server; many administrators' requests at once each
 * leave exactly one record in one intact chain. In a framework of its own, because it counts the
 * whole chain.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuditExportIT extends ApiFrameworkTest {

    private static final int THREADS = 16;
    private static final int REQUESTS_PER_THREAD = 25;

    @Inject
    private AdminTokens tokens;

    /** What the verifier printed, and its exit code. */
    private record Verified(int exit, String output) {
    }

    @Test
    public void manyAdministratorsAtOnceLeaveOneRecordEachInAChainThatVerifiesOffline() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        long before = verifiedRecords(owner);

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                // each thread is an administrator of an environment of its own, reading and renaming it
                String env = api.post("/api/v1/environments", owner, "{\"name\":\"Busy " + thread + "\"}").json()
                        .path("id").asText();
                String admin = tokens.mint(AdminRole.ADMINISTRATOR, env, Duration.ofHours(1), "admin " + thread)
                        .token();
                for (int i = 1; i < REQUESTS_PER_THREAD; i++) {
                    Api.Answer answer = i % 2 == 0 ? api.get("/api/v1/environments/" + env, admin)
                            : api.send("PATCH", "/api/v1/environments/" + env, admin, "application/json",
                                    ("{\"name\":\"Busy " + thread + "." + i + "\"}").getBytes(StandardCharsets.UTF_8));
                    assertEquals(answer.body(), 200, answer.status());
                }
                return null;
            }));
        }
        for (Future<?> request : done) {
            request.get(2, TimeUnit.MINUTES);
        }
        threads.shutdown();

        long requests = THREADS * REQUESTS_PER_THREAD;
        assertEquals("one record per request: the first check's, then every concurrent one", before + 1 + requests,
                verifiedRecords(owner));

        Path export = download("/api/v1/audit/export", owner);
        Verified verified = verify(export);
        // the export holds the second check's record and its own, appended before it is read
        long records = before + 1 + requests + 2;
        assertEquals(verified.output(), 0, verified.exit());
        assertTrue(verified.output(), verified.output().startsWith("intact: " + records + " records, sequence 1 to "
                + records + ", "));
    }

    @Test
    public void anEnvironmentsExportVerifiesOfflineAndShowsNoOtherEnvironment() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        String shown = api.post("/api/v1/environments", owner, "{\"name\":\"Shown\"}").json().path("id").asText();
        String other = api.post("/api/v1/environments", owner, "{\"name\":\"Other\"}").json().path("id").asText();
        String reviewer = tokens.mint(AdminRole.SECURITY_REVIEWER, shown, Duration.ofHours(1), "reviewer").token();
        api.get("/api/v1/environments/" + other, owner);
        api.get("/api/v1/environments/" + shown, owner);
        // another environment is not even found
        assertEquals(404, api.get("/api/v1/environments/" + other + "/audit/export", reviewer).status());

        Path export = download("/api/v1/environments/" + shown + "/audit/export", reviewer);
        // The other environment's records are withheld; its id shows only as the target of the reviewer's own
        // refused probe, recorded in the reviewer's environment exactly as a probe of an id that never existed.
        for (String line : Files.readAllLines(export)) {
            JsonNode node = Api.JSON.readTree(line);
            assertFalse(line, other.equals(node.path("environmentId").asText()));
            if (line.contains(other)) {
                assertEquals(line, "environment.audit.export DENIED SCOPE " + shown, node.path("action").asText() + " "
                        + node.path("outcome").asText() + " " + node.path("category").asText() + " "
                        + node.path("environmentId").asText());
            }
        }
        Verified verified = verify(export);
        assertEquals(verified.output(), 0, verified.exit());
        assertTrue(verified.output(), verified.output().matches("intact: \\d+ records shown, \\d+ withheld, .*"));

        // One changed field of a shown record: the verifier names the record.
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        int changed = -1;
        for (int i = 0; i < lines.size() && changed < 0; i++) {
            JsonNode line = Api.JSON.readTree(lines.get(i));
            if (line.path("type").asText().equals("record") && line.path("outcome").asText().equals("ALLOWED")) {
                lines.set(i, lines.get(i).replace("\"ALLOWED\"", "\"DENIED\""));
                changed = line.path("sequence").asInt();
            }
        }
        Verified tampered = verify(Files.write(export, lines));
        assertEquals(tampered.output(), 1, tampered.exit());
        assertTrue(tampered.output(), tampered.output().startsWith("broken at sequence " + changed + ": changed"));
    }

    private long verifiedRecords(String owner) {
        JsonNode verification = api.get("/api/v1/audit/verify", owner).json();
        assertTrue(verification.toString(), verification.path("intact").asBoolean());
        return verification.path("records").asLong();
    }

    private Path download(String path, String token) throws IOException {
        Api.Answer answer = api.get(path, token);
        assertEquals(answer.body(), 200, answer.status());
        assertEquals("application/jsonl", answer.contentType().replaceAll(";.*", ""));
        Path file = Files.createTempFile("audit-export", ".jsonl");
        return Files.writeString(file, answer.body());
    }

    /** {@code java -jar enigm-audit-verifier.jar file}, as an auditor runs it, with nothing of the server. */
    private static Verified verify(Path export) throws IOException, InterruptedException {
        Process verifier = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("enigm.audit.verifier"), export.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(verifier.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue("the verifier ends within a minute", verifier.waitFor(1, TimeUnit.MINUTES));
        return new Verified(verifier.exitValue(), output);
    }
}
