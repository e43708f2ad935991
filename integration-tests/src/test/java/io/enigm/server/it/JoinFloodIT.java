package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.membership.JoinRequests;
import io.enigm.server.store.Database;

/**
 * Join requests answered from the writer's commit, over HTTP: a full pending queue refuses with
 * 429 and stores nothing, and known and unknown server IDs both wait for the configured floor.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JoinFloodIT extends ApiFrameworkTest {

    private static final long FLOOR_MILLIS = 150;

    @Inject
    private AdminTokens tokens;
    @Inject
    private Database database;

    @Test
    public void aFullQueueIsRefusedWith429AndEveryAnswerWaitsForTheFloor() throws Exception {
        reconfigure(JoinRequests.class, "io.enigm.server.membership",
                Map.of("maxPendingJoinRequests", 2, "joinAnswerFloorMillis", (int) FLOOR_MILLIS));
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        Api.Answer created = api.post("/api/v1/environments", owner, "{\"name\":\"Flooded\"}");
        assertEquals(created.body(), 201, created.status());
        String serverId = created.json().path("serverId").asText();

        for (String account : new String[] {"a@enigm", "b@enigm"}) {
            Api.Answer queued = timedJoin(serverId, account);
            assertEquals(queued.body(), 202, queued.status());
            assertEquals("PENDING", queued.json().path("state").asText());
        }
        long pending = pendingRequests();
        Api.Answer refused = timedJoin(serverId, "c@enigm");
        assertEquals("urn:enigm:problem:rate-limited", refused.problem(429).path("type").asText());
        assertTrue(Long.parseLong(refused.raw().headers().firstValue("Retry-After").orElse("0")) > 0);
        assertEquals(pending, pendingRequests());

        Api.Answer unknown = timedJoin("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", "d@enigm");
        assertEquals(unknown.body(), 202, unknown.status());
    }

    /** Files a join request and checks that its answer took at least the floor. */
    private Api.Answer timedJoin(String serverId, String account) throws Exception {
        String key = DeviceKey.generate().encodedPublicKey();
        long started = System.nanoTime();
        Api.Answer answer = api.post("/api/v1/join-requests", null, "{\"serverId\":\"" + serverId
                + "\",\"accountHandle\":\"" + account + "\",\"devicePublicKey\":\"" + key + "\"}");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(account + " answered after " + tookMillis + " ms", tookMillis >= FLOOR_MILLIS);
        return answer;
    }

    private long pendingRequests() {
        return Rows.count(database, "join_request", "state = 'PENDING'", Map.of());
    }
}
