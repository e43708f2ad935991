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
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.store.Database;

/**
 * Five wrong PINs lock critical operations: the sixth attempt, even with the right PIN, is a 429
 * problem with Retry-After, each failure is audited, and nothing changes. In a framework of its
 * own, because the lock holds for the whole installation.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PinLockoutIT extends ApiFrameworkTest {

    private static final String PIN = "864200";

    @Inject
    private AdminTokens tokens;
    @Inject
    private EnvironmentService environments;
    @Inject
    private Database database;

    @Test
    public void fiveWrongPinsLockCriticalOperationsWithRetryAfterAndChangeNothing() throws InterruptedException {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        assertEquals(204, api.send("PUT", "/api/v1/pin", owner, "application/json",
                ("{\"pin\":\"" + PIN + "\"}").getBytes()).status());
        String env = environments.create(new NewEnvironment("Locked out", null)).id();
        String administrator = tokens.mint(AdminRole.ADMINISTRATOR, env, Duration.ofHours(1), "it admin").token();

        for (int i = 0; i < 5; i++) {
            EnvironmentLifecycleIT.LifecycleCalls.lifecycle(port(), env, administrator, "close", "00000" + i).problem(403);
        }
        Api.Answer locked = EnvironmentLifecycleIT.LifecycleCalls.lifecycle(port(), env, administrator, "close", PIN);
        locked.problem(429);
        long retryAfter = Long.parseLong(locked.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue("Retry-After " + retryAfter, retryAfter >= 1 && retryAfter <= 30);
        // Changing the PIN is refused as well while the lock lasts.
        api.send("PUT", "/api/v1/pin", owner, "application/json",
                ("{\"pin\":\"111111\",\"currentPin\":\"" + PIN + "\"}").getBytes()).problem(429);

        assertEquals("ACTIVE", api.get("/api/v1/environments/" + env, owner).json().path("state").asText());
        assertEquals(5, database.read(h -> h.createQuery("SELECT failed_attempts FROM critical_operation_pin")
                .mapTo(Integer.class).one()).intValue());
        long pinFailures = Rows.count(database, "audit_record", "category = 'PIN' AND outcome = 'DENIED'",
                Map.of());
        assertEquals("5 wrong PINs and 2 refusals while locked", 7, pinFailures);
        long requestsRefused = Rows.count(database, "audit_record",
                "action = 'environment.lifecycle' AND outcome = 'FAILED'", Map.of());
        assertEquals(6, requestsRefused);
    }
}
