package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.store.Database;

/**
 * Legal holds over HTTP: only the owner with the PIN places and lifts them; while one covers an
 * environment or one of its members, environment deletion is refused with a problem naming the
 * hold; a member from another environment is not found; the audit never holds the reason.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LegalHoldIT extends ApiFrameworkTest {

    private static final String PIN = "864213";
    private static final String REASON = "Litigation hold, matter 2026-17";

    @Inject
    private AdminTokens tokens;
    @Inject
    private EnvironmentService environments;
    @Inject
    private Database database;

    private String owner;

    @Before
    public void setThePin() {
        owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        Api.Answer set = api.send("PUT", "/api/v1/pin", owner, "application/json",
                ("{\"pin\":\"" + PIN + "\",\"currentPin\":\"" + PIN + "\"}").getBytes());
        assertEquals(set.body(), 204, set.status());
    }

    private Api.Answer hold(String method, String path, String token, String pin, String json) {
        return api.send(method, "/api/v1/environments/" + path + "/legal-hold", token,
                pin == null ? Map.of() : Map.of("X-Enigm-Confirm", pin), json);
    }

    private static String reason(String text) {
        return "{\"reason\":\"" + text + "\"}";
    }

    /** An environment closed and past its grace period, so that only a hold stands between it and deletion. */
    private String closed(String name) {
        String env = environments.create(new NewEnvironment(name, null)).id();
        assertEquals(200, lifecycle(env, "close").status());
        database.inTransaction(handle -> handle.createUpdate("UPDATE environment SET closing_ends_at = 0 WHERE id = :id")
                .bind("id", env).execute());
        return env;
    }

    private Api.Answer lifecycle(String env, String action) {
        return EnvironmentLifecycleIT.LifecycleCalls.lifecycle(port(), env, owner, action, PIN);
    }

    private long holds() {
        return Rows.count(database, "legal_hold");
    }

    @Test
    public void anEnvironmentHoldRefusesDeletionNamingItUntilItIsLifted() {
        String env = closed("Held");
        JsonNode placed = hold("PUT", env, owner, PIN, "{\"reason\":\"" + REASON + "\",\"until\":\""
                + Instant.now().plus(Duration.ofDays(30)) + "\"}").json();
        assertEquals(REASON, placed.path("reason").asText());
        assertTrue(placed.path("memberId").isNull());
        assertTrue(api.get("/api/v1/environments/" + env, owner).json().path("legalHold").asBoolean());

        JsonNode refused = lifecycle(env, "delete").problem(409);
        assertTrue(refused.toString(), refused.path("detail").asText().contains("legal hold on the environment"));
        assertEquals(1, Rows.count(database, "environment_key", "environment_id = :id", Map.of("id", env)));

        assertEquals(204, hold("DELETE", env, owner, PIN, null).status());
        assertFalse(api.get("/api/v1/environments/" + env, owner).json().path("legalHold").asBoolean());
        assertEquals("DELETED", lifecycle(env, "delete").json().path("state").asText());
        String audit = api.get("/api/v1/environments/" + env + "/audit?limit=100", owner).body();
        assertTrue(audit, audit.contains("environment.legal-hold.place") && audit.contains("environment.legal-hold.lift"));
        assertFalse("the audit names the hold's subject, never its reason", audit.contains("Litigation"));
    }

    @Test
    public void aMemberHoldRefusesTheEnvironmentsDeletionAndOtherEnvironmentsMembersAreNotFound() {
        String env = environments.create(new NewEnvironment("Member held", null)).id();
        String base = "/api/v1/environments/" + env;
        Api.Enrolled alice = api.enrolMember(base, owner, "alice@held", DeviceKey.generate().publicKey());
        String elsewhere = environments.create(new NewEnvironment("Elsewhere", null)).id();
        Api.Enrolled stranger = api.enrolMember("/api/v1/environments/" + elsewhere, owner, "stranger@elsewhere",
                DeviceKey.generate().publicKey());

        hold("PUT", env + "/members/" + stranger.memberId(), owner, PIN, reason("Wrong place")).problem(404);
        hold("PUT", env + "/members/nobody", owner, PIN, reason("Nobody")).problem(404);
        JsonNode placed = hold("PUT", env + "/members/" + alice.memberId(), owner, PIN, reason("Alice's dispute"))
                .json();
        assertEquals(alice.memberId(), placed.path("memberId").asText());

        assertEquals(200, lifecycle(env, "close").status());
        database.inTransaction(handle -> handle.createUpdate("UPDATE environment SET closing_ends_at = 0 WHERE id = :id")
                .bind("id", env).execute());
        assertTrue(lifecycle(env, "delete").problem(409).path("detail").asText().contains("member " + alice.memberId()));
        assertEquals(204, hold("DELETE", env + "/members/" + alice.memberId(), owner, PIN, null).status());
        hold("DELETE", env + "/members/" + alice.memberId(), owner, PIN, null).problem(404);
        assertEquals("DELETED", lifecycle(env, "delete").json().path("state").asText());
    }

    @Test
    public void withoutTheOwnersTokenAndTheRightPinNothingChanges() {
        String env = environments.create(new NewEnvironment("Guarded", null)).id();
        long before = holds();
        hold("PUT", env, owner, null, reason("No PIN")).problem(403);
        hold("PUT", env, owner, "000000", reason("Wrong PIN")).problem(403);
        for (AdminRole role : AdminRole.values()) {
            if (role != AdminRole.OWNER) {
                String token = tokens.mint(role, env, Duration.ofHours(1), "it " + role).token();
                hold("PUT", env, token, PIN, reason("Not mine to hold")).problem(403);
            }
        }
        assertEquals(before, holds());
        hold("PUT", env, owner, PIN, "{\"reason\":\"x\",\"until\":\"yesterday\"}").problem(422);
        hold("PUT", env, owner, PIN, "{\"reason\":\"x\",\"until\":\"2000-01-01T00:00:00Z\"}").problem(422);
        hold("PUT", env, owner, PIN, "{}").problem(422);
        assertEquals(before, holds());

        assertEquals(200, hold("PUT", env, owner, PIN, reason("Kept")).status());
        hold("DELETE", env, owner, null, null).problem(403);
        hold("DELETE", env, owner, "000000", null).problem(403);
        assertTrue(api.get("/api/v1/environments/" + env, owner).json().path("legalHold").asBoolean());
        assertEquals(204, hold("DELETE", env, owner, PIN, null).status());
    }
}
