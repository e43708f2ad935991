package io.enigm.server.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.Requirement;

class CompiledPolicyTest {

    private static final String POLICY = "{\"rules\":["
            + "{\"id\":\"sessions\",\"roles\":[\"*\"],\"actions\":[\"OPEN_SESSION\"],"
            + "\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\",\"OS_POSTURE_ACCEPTABLE\"]},"
            + "{\"id\":\"files\",\"roles\":[\"LEAD\"],\"actions\":[\"UPLOAD_CONTENT\"],\"resources\":[\"file\"],"
            + "\"require\":[\"MEMBER_ACTIVE\",\"HARDWARE_KEY_VERIFIED\",\"DEVICE_TRUSTED\"],\"onMissing\":\"STEP_UP\"},"
            + "{\"id\":\"trial\",\"mode\":\"report-only\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
            + "\"require\":[\"MEMBER_ACTIVE\",\"ESIM_BOUND\"]}]}";

    private static final int ALL = (1 << Requirement.values().length) - 1;

    private final CompiledPolicy policy = CompiledPolicy.compile(3, PolicyDocument.parse(POLICY));

    private Decision decide(String role, AccessAction action, String resource, Signals signals) {
        return policy.decision(policy.evaluate(policy.cell(role, action, resource), signals, 0));
    }

    @Test
    void cellsHoldTheApplyingRulesAndTheProvidersTheyNeed() {
        CompiledPolicy.Cell files = policy.cell("LEAD", AccessAction.UPLOAD_CONTENT, "file");
        assertEquals(List.of("files", "trial"), files.matched());
        assertEquals(Set.of(SignalCategory.HARDWARE_KEY,
                SignalCategory.ESIM_BINDING), files.providers);
        assertEquals(List.of("trial"), policy.cell("LEAD", AccessAction.UPLOAD_CONTENT, "message").matched());
        assertEquals(List.of("trial"), policy.cell("MEMBER", AccessAction.UPLOAD_CONTENT, "file").matched());
    }

    @Test
    void stepUpOnlyForWhatTheDeviceCanProveAndDenyWins() {
        int noKey = ALL & ~Requirements.bit(Requirement.HARDWARE_KEY_VERIFIED);
        Decision stepUp = decide("LEAD", AccessAction.UPLOAD_CONTENT, "file", new Signals(noKey, 0));
        assertEquals(DecisionOutcome.STEP_UP, stepUp.outcome());
        assertEquals(Set.of(DecisionCategory.HARDWARE_KEY), stepUp.categories());
        int noKeyUntrusted = noKey & ~Requirements.bit(Requirement.DEVICE_TRUSTED);
        Decision denied = decide("LEAD", AccessAction.UPLOAD_CONTENT, "file", new Signals(noKeyUntrusted, 0));
        assertEquals(DecisionOutcome.DENY, denied.outcome());
        assertEquals(Set.of(DecisionCategory.DEVICE_TRUST), denied.categories());
        assertEquals(3, denied.policyVersion());
    }

    @Test
    void thePlainAllowIsSharedAndAllocatesNothing() {
        Signals verified = new Signals(ALL, 0);
        Decision first = decide("MEMBER", AccessAction.OPEN_SESSION, null, verified);
        assertEquals(DecisionOutcome.ALLOW, first.outcome());
        assertSame(first, decide("LEAD", AccessAction.OPEN_SESSION, "message", verified));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            decide("MEMBER", AccessAction.OPEN_SESSION, null, verified);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            decide(i % 2 == 0 ? "MEMBER" : "LEAD", AccessAction.OPEN_SESSION, null, verified);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A few hundred bytes of measurement noise at most; a single object per decision would be megabytes.
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 100,000 decisions");
    }

    @Test
    void aRoleAndResourceNamedByDifferentRulesAreJoinedOnceThenDecidedWithoutAllocating() {
        CompiledPolicy split = CompiledPolicy.compile(1, PolicyDocument.parse("{\"rules\":["
                + "{\"id\":\"leads\",\"roles\":[\"LEAD\"],\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\"]},"
                + "{\"id\":\"files\",\"roles\":[\"*\"],\"actions\":[\"*\"],\"resources\":[\"file\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"HARDWARE_KEY_VERIFIED\"]}]}"));
        CompiledPolicy.Cell cell = split.cell("LEAD", AccessAction.READ_CONTENT, "file");
        assertEquals(List.of("leads", "files"), cell.matched());
        assertEquals(Set.of(SignalCategory.HARDWARE_KEY), cell.providers);
        Signals verified = new Signals(ALL, 0);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            split.evaluate(split.cell("LEAD", AccessAction.READ_CONTENT, "file"), verified, 0);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            split.decision(split.evaluate(split.cell("LEAD", AccessAction.READ_CONTENT, "file"), verified, 0));
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, allocated + " bytes allocated by 100,000 decisions");
        assertSame(cell, split.cell("LEAD", AccessAction.READ_CONTENT, "file"));
        assertEquals(1, split.joinedCells());
    }
}
