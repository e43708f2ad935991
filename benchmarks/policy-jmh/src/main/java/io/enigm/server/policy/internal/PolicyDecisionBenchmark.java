package io.enigm.server.policy.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.Requirement;

/**
 * Access decisions under a compiled 20-rule policy that needs all four provider categories (managed
 * device, OS posture, Enigm Key, eSIM), with their evidence already verified: the signals are
 * precomputed, so this measures what the engine adds per decision on top of the providers — the
 * lookup of the environment's compiled version, the choice of the applying rules, their
 * evaluation and the decision — and nothing else. Requests rotate through eight shapes of role,
 * action and resource category so that no single path is folded away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyDecisionBenchmark {

    /** Twenty rules over four roles, five actions and four resource categories; three report-only. */
    static final String POLICY = "{\"rules\":["
            + rule("base-sessions", "\"*\"", "\"OPEN_SESSION\",\"RENEW_SESSION\"", "\"*\"", "\"DEVICE_TRUSTED\"", "")
            + "," + rule("posture-sessions", "\"*\"", "\"OPEN_SESSION\",\"RENEW_SESSION\"", "\"*\"", "\"OS_POSTURE_ACCEPTABLE\"", ",\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":7}")
            + "," + rule("managed-contractors", "\"CONTRACTOR\"", "\"OPEN_SESSION\",\"RENEW_SESSION\"", "\"*\"", "\"MANAGED_DEVICE_COMPLIANT\"", ",\"graceDays\":{\"MANAGED_DEVICE_COMPLIANT\":3}")
            + "," + rule("key-for-leads", "\"LEAD\"", "\"*\"", "\"*\"", "\"HARDWARE_KEY_VERIFIED\"", ",\"onMissing\":\"STEP_UP\"")
            + "," + rule("esim-sessions", "\"MEMBER\",\"LEAD\"", "\"OPEN_SESSION\"", "\"*\"", "\"ESIM_BOUND\"", "")
            + "," + rule("upload-messages", "\"*\"", "\"UPLOAD_CONTENT\"", "\"message\"", "\"DEVICE_TRUSTED\",\"SESSION_FRESH\"", "")
            + "," + rule("upload-attachments", "\"*\"", "\"UPLOAD_CONTENT\"", "\"attachment\",\"media\"", "\"DEVICE_TRUSTED\",\"OS_POSTURE_ACCEPTABLE\"", "")
            + "," + rule("upload-files", "\"*\"", "\"UPLOAD_CONTENT\"", "\"file\"", "\"DEVICE_TRUSTED\",\"HARDWARE_KEY_VERIFIED\"", ",\"onMissing\":\"STEP_UP\"")
            + "," + rule("fetch-messages", "\"*\"", "\"READ_CONTENT\"", "\"message\"", "\"DEVICE_TRUSTED\"", "")
            + "," + rule("fetch-media", "\"*\"", "\"READ_CONTENT\"", "\"attachment\",\"media\"", "\"DEVICE_TRUSTED\",\"OS_POSTURE_ACCEPTABLE\"", "")
            + "," + rule("fetch-files", "\"MEMBER\",\"LEAD\",\"CONTRACTOR\"", "\"READ_CONTENT\"", "\"file\"", "\"DEVICE_TRUSTED\",\"MANAGED_DEVICE_COMPLIANT\"", "")
            + "," + rule("add-device", "\"MEMBER\",\"LEAD\"", "\"ADD_DEVICE\"", "\"*\"", "\"DEVICE_TRUSTED\",\"SESSION_FRESH\",\"HARDWARE_KEY_VERIFIED\"", ",\"onMissing\":\"STEP_UP\"")
            + "," + rule("add-device-esim", "\"MEMBER\",\"LEAD\"", "\"ADD_DEVICE\"", "\"*\"", "\"ESIM_BOUND\"", "")
            + "," + rule("contractor-content", "\"CONTRACTOR\"", "\"UPLOAD_CONTENT\",\"READ_CONTENT\"", "\"*\"", "\"MANAGED_DEVICE_COMPLIANT\"", "")
            + "," + rule("guest-fetch", "\"GUEST\"", "\"READ_CONTENT\"", "\"message\"", "\"DEVICE_TRUSTED\"", "")
            + "," + rule("guest-trusted", "\"GUEST\"", "\"*\"", "\"*\"", "\"DEVICE_TRUSTED\"", "")
            + "," + rule("lead-fresh", "\"LEAD\"", "\"UPLOAD_CONTENT\",\"READ_CONTENT\"", "\"*\"", "\"SESSION_FRESH\"", "")
            + "," + rule("trial-key-members", "\"MEMBER\"", "\"*\"", "\"*\"", "\"HARDWARE_KEY_VERIFIED\"", ",\"mode\":\"report-only\"")
            + "," + rule("trial-esim-uploads", "\"*\"", "\"UPLOAD_CONTENT\"", "\"*\"", "\"ESIM_BOUND\"", ",\"mode\":\"report-only\"")
            + "," + rule("trial-managed-renewals", "\"*\"", "\"RENEW_SESSION\"", "\"*\"", "\"MANAGED_DEVICE_COMPLIANT\"", ",\"mode\":\"report-only\"")
            + "],\"default\":\"DENY\"}";

    private static final String ENVIRONMENT = "env-0123456789abcdef";
    private static final String[] ROLES = {"MEMBER", "LEAD", "CONTRACTOR", "MEMBER", "GUEST", "LEAD", "MEMBER", "CONTRACTOR"};
    private static final AccessAction[] ACTIONS = {AccessAction.OPEN_SESSION, AccessAction.UPLOAD_CONTENT,
        AccessAction.RENEW_SESSION, AccessAction.READ_CONTENT, AccessAction.READ_CONTENT, AccessAction.ADD_DEVICE,
        AccessAction.UPLOAD_CONTENT, AccessAction.READ_CONTENT};
    private static final String[] RESOURCES = {null, "file", null, "media", "message", null, "attachment", "file"};

    /** The engine's cache of compiled versions by environment, with others in it. */
    private final ConcurrentHashMap<String, CompiledPolicy> inForce = new ConcurrentHashMap<>();
    private Signals verified;
    private Signals postureFailing;
    private long now;
    private int next;

    private static String rule(String id, String roles, String actions, String resources, String require,
            String extra) {
        return "{\"id\":\"" + id + "\",\"roles\":[" + roles + "],\"actions\":[" + actions + "],\"resources\":["
                + resources + "],\"require\":[\"MEMBER_ACTIVE\"," + require + "]" + extra + "}";
    }

    @Setup(Level.Trial)
    public void compile() {
        PolicyDocument document = PolicyDocument.parse(POLICY);
        if (document.rules().size() != 20) {
            throw new IllegalStateException("the benchmark policy must have 20 rules");
        }
        for (int i = 0; i < 1000; i++) {
            inForce.put("env-other-" + i, CompiledPolicy.compile(1, document));
        }
        inForce.put(ENVIRONMENT, CompiledPolicy.compile(7, document));
        int all = 0;
        for (Requirement requirement : Requirement.values()) {
            all |= Requirements.bit(requirement);
        }
        verified = new Signals(all, 0);
        postureFailing = new Signals(all & ~Requirements.bit(Requirement.OS_POSTURE_ACCEPTABLE), 0);
        now = System.currentTimeMillis();
        for (int i = 0; i < ROLES.length; i++) {
            Decision decision = decide(verified, i);
            if (decision.outcome() != DecisionOutcome.ALLOW || !decision.warnings().isEmpty()) {
                throw new IllegalStateException("shape " + i + " is not allowed: " + decision);
            }
        }
    }

    private Decision decide(Signals signals, int shape) {
        CompiledPolicy policy = inForce.get(ENVIRONMENT);
        CompiledPolicy.Cell cell = policy.cell(ROLES[shape], ACTIONS[shape], RESOURCES[shape]);
        return policy.decision(policy.evaluate(cell, signals, now));
    }

    /** Every provider signal verified and passing: the common case, an ALLOW. */
    @Benchmark
    public Decision allowWithVerifiedEvidence() {
        next = (next + 1) & 7;
        return decide(verified, next);
    }

    /** OS posture failing, no grace history: a DENY where posture applies (a new decision object each). */
    @Benchmark
    public Decision postureFailing() {
        next = (next + 1) & 7;
        return decide(postureFailing, next);
    }
}
