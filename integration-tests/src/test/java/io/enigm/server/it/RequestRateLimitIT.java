package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.InvalidSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.MintedToken;

/**
 * The per-client request rate over real HTTP: a client beyond its burst is answered 429
 * problem+json with Retry-After on any path (the API, the console before its login, a path nothing
 * serves), the refused request is neither carried out nor audited, and once its bucket has refilled
 * the same client is served again. Only 127.0.0.1 is available here; that one address's requests
 * leave others alone is shown by {@code TokenBucketsTest}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RequestRateLimitIT extends ApiFrameworkTest {

    private static final String RATE_PID = "io.enigm.server.http.rate";
    private static final String PREPROCESSOR = "org.osgi.service.servlet.whiteboard.Preprocessor";
    private static final int PER_SECOND = 1;
    private static final int BURST = 5;

    @Inject
    private AdminTokens tokens;

    @Test
    public void aClientBeyondItsRateIsRefusedWithoutEffectAndServedAgainOnceItsBucketRefilled() throws Exception {
        MintedToken auditor = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "rate auditor");
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "rate owner").token();
        AuditTrail trail = new AuditTrail(api, auditor.token(), auditor.id());

        int served = 0;
        configure(RATE_PID, Map.of("requestsPerSecond", PER_SECOND, "burst", BURST));
        try {
            awaitTrue("the limiter runs with the low rate", () -> preprocessorWith("(requestsPerSecond=" + PER_SECOND + ")"));
            Api.Answer answer;
            long start = System.nanoTime();
            while ((answer = api.get("/api/v1/environments", owner)).status() == 200) {
                served++;
                long refilled = (System.nanoTime() - start) / 1_000_000_000L * PER_SECOND + 1;
                assertTrue("more served than the burst and the time taken allow: " + served, served <= BURST + refilled);
            }
            assertTrue("the burst was served: " + served, served >= BURST);
            assertRateLimited(answer);

            Api.Answer refused = api.post("/api/v1/environments", owner, "{\"name\":\"Refused\"}");
            long retryAfter = assertRateLimited(refused);
            assertRateLimited(api.get("/system/console/bundles", null));
            assertRateLimited(api.get("/no-such-place", null));

            Thread.sleep(retryAfter * 1000);
            Api.Answer created = api.post("/api/v1/environments", owner, "{\"name\":\"Served\"}");
            assertEquals("served again once the bucket refilled: " + created.body(), 201, created.status());
        } finally {
            configure(RATE_PID, Map.of("requestsPerSecond", 2000, "burst", 4000));
            awaitTrue("the default rate is back", () -> preprocessorWith("(requestsPerSecond=2000)"));
        }

        List<JsonNode> records = trail.next();
        assertEquals("one audited list per request served, none for the refused: " + records, served,
                records.stream().filter(r -> r.path("action").asText().equals("environment.list")).count());
        List<JsonNode> creations = records.stream()
                .filter(r -> r.path("action").asText().equals("environment.create")).toList();
        assertEquals("only the creation served is audited: " + creations, 1, creations.size());
        String environments = api.get("/api/v1/environments", owner).body();
        assertTrue(environments, environments.contains("Served"));
        assertFalse("the refused creation changed nothing: " + environments, environments.contains("Refused"));
    }

    private static long assertRateLimited(Api.Answer answer) {
        JsonNode problem = answer.problem(429);
        assertEquals("urn:enigm:problem:rate-limited", problem.path("type").asText());
        long retryAfter = Long.parseLong(answer.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue("Retry-After " + retryAfter, retryAfter >= 1 && retryAfter <= 2);
        return retryAfter;
    }

    private boolean preprocessorWith(String filter) {
        try {
            return context.getServiceReferences(PREPROCESSOR, filter) != null;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
