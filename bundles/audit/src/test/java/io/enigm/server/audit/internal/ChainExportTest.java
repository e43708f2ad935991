package io.enigm.server.audit.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.internal.TestDatabases;

class ChainExportTest {

    @TempDir
    Path home;

    private DataHome dataHome;
    private HashChainedAuditLog log;

    @BeforeEach
    void open() {
        dataHome = TestDatabases.home(home);
        log = new HashChainedAuditLog(TestDatabases.open(dataHome), dataHome, new SimpleMeterRegistry());
        for (int i = 0; i < 4; i++) {
            String environment = i % 2 == 0 ? "env-shown" : "env-other";
            log.append(new AuditEntry("actor-" + environment, "ADMINISTRATOR", environment, "action-" + environment,
                    "target-" + environment, AuditOutcome.ALLOWED, null));
        }
    }

    private List<String> export(String environmentId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        log.export(environmentId, out);
        return List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    }

    @Test
    void theExportStartsWithAHeaderThenCheckpointsThenEveryRecordOnALineOfItsOwn() {
        List<String> lines = export(null);
        assertEquals(1 + 1 + 4 + 1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("{\"type\":\"header\",\"format\":1,\"environmentId\":null,"
                + "\"firstSequence\":1,\"previousHash\":\"" + HashChainedAuditLog.GENESIS_HASH + "\""), lines.get(0));
        assertTrue(lines.get(0).contains(Base64.getEncoder().encodeToString(
                dataHome.readSecret(CheckpointSigner.PUBLIC_KEY).orElseThrow())), "the checkpoint key, X.509 in base64");
        assertTrue(lines.get(1).startsWith("{\"type\":\"checkpoint\",\"sequence\":1,"), lines.get(1));
        assertTrue(lines.get(5).startsWith("{\"type\":\"record\",\"sequence\":4,\"recordedAt\":"), lines.get(5));
        assertTrue(lines.get(6).startsWith("{\"type\":\"head\",\"sequence\":4,"), "the head, signed at export");
    }

    @Test
    void anEnvironmentsExportWithholdsEveryOtherRecordToItsLink() {
        List<String> lines = export("env-shown");
        assertEquals(7, lines.size());
        assertTrue(lines.get(2).startsWith("{\"type\":\"record\",\"sequence\":1,"), lines.get(2));
        assertTrue(lines.get(3).matches("\\{\"type\":\"withheld\",\"sequence\":2,\"entryDigest\":\"[0-9a-f]{64}\","
                + "\"previousHash\":\"[0-9a-f]{64}\",\"hash\":\"[0-9a-f]{64}\"}"), lines.get(3));
        assertFalse(String.join("\n", lines).contains("env-other"), "nothing another environment's records state");
    }
}
