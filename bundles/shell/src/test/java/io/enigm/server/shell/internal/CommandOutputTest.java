package io.enigm.server.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.registry.ProviderUsage;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.audit.AuditVerification;
import io.enigm.server.health.HealthCheckResult;
import io.enigm.server.health.HealthReport;
import io.enigm.server.health.HealthStatus;

/** What the enigm:* commands print, from the answers of the services they read. */
class CommandOutputTest {

    @Test
    void aTableAlignsItsColumnsAndPrintsAMissingValueAsADash() {
        String printed = Table.of("ID", "NAME", "COUNT").row("a1", "Long name", 3).row("b22", null, 12).toString();

        assertEquals("""
                ID   NAME       COUNT
                a1   Long name  3
                b22  -          12
                """, printed, "each column as wide as its widest cell, trailing blanks cut");
    }

    @Test
    void aCellNeverSpansLinesAndARowMustFillEveryColumn() {
        String printed = Table.of("NAME").row("two\nlines").toString();

        assertEquals("NAME\ntwo lines\n", printed, "a name with a line break stays on its row");
        assertThrows(IllegalArgumentException.class, () -> Table.of("A", "B").row("only one"),
                "a row with too few cells is a programming error");
    }

    @Test
    void anIntactChainIsSaidToBeIntactAndABrokenOneWhereItFirstBreaks() {
        assertEquals("intact: 12 records, head at sequence 12\n",
                AuditVerifyCommand.result(new AuditVerification(12, true, null, null, 12, "h")), "intact");
        assertEquals("BROKEN at sequence 7: HASH_MISMATCH (12 records read)\n", AuditVerifyCommand.result(
                new AuditVerification(12, false, 7L, AuditVerification.Problem.HASH_MISMATCH, 12, "h")),
                "the first broken sequence and how");
    }

    @Test
    void theHealthReportListsEveryCheckAndWhetherTheInstallationServes() {
        HealthReport report = new HealthReport(HealthStatus.WARN, List.of(
                new HealthCheckResult("store", List.of("core"), HealthStatus.OK, List.of("The store answers reads"), 2),
                new HealthCheckResult("webhook outbox", List.of("core"), HealthStatus.WARN,
                        List.of("1 parked batch", "see the console"), 4)));

        assertEquals("""
                CHECK           STATUS  MS  FINDINGS
                store           OK      2   The store answers reads
                webhook outbox  WARN    4   1 parked batch; see the console
                installation: WARN (serving)
                """, HealthCommand.report(report), "one line per check, then the whole");
        assertTrue(HealthCommand.report(new HealthReport(HealthStatus.CRITICAL, List.of()))
                .endsWith("installation: CRITICAL (NOT serving)\n"), "a critical installation says it does not serve");
    }

    @Test
    void aDeployedProviderShowsItsBudgetUseAndItsOwnHealthCheck() {
        ProviderInfo key = new ProviderInfo("enigm-key", "Enigm Key", "1.2.0", SignalCategory.HARDWARE_KEY,
                "io.enigm.server.provider.key", true);
        ProviderInfo spare = new ProviderInfo("spare-key", "Spare", "0.9.0", SignalCategory.HARDWARE_KEY,
                "com.example.spare", false);
        ProviderUsage used = new ProviderUsage("enigm-key", Duration.ofMillis(250), 10, 8, 1, 1,
                Duration.ofMillis(40), ProviderUsage.Outcome.ANSWERED);
        HealthCheckResult check = new HealthCheckResult("provider enigm-key", List.of("provider"), HealthStatus.WARN,
                List.of("slow"), 1);
        HealthCheckResult store = new HealthCheckResult("store", List.of("core"), HealthStatus.OK, List.of(), 1);

        String printed = ProvidersCommand.deployed(List.of(key, spare), List.of(used), List.of(store, check));

        List<String> lines = printed.lines().toList();
        assertEquals(4, lines.size(), printed);
        assertTrue(lines.get(1).matches("enigm-key +1\\.2\\.0 +HARDWARE_KEY +io\\.enigm\\.server\\.provider\\.key +yes"
                + " +250ms +10/8/1/1 +40ms +WARN"), "usage and health joined by type: " + lines.get(1));
        assertTrue(lines.get(2).matches("spare-key +0\\.9\\.0 +HARDWARE_KEY +com\\.example\\.spare +no +- +- +- +-"),
                "a provider never asked and without a check: " + lines.get(2));
        assertEquals("deployed: 2", lines.get(3), printed);
    }

    @Test
    void availableProvidersAreTheShippedJarsNotInDeploy(@TempDir Path dist) throws Exception {
        Files.createDirectories(dist.resolve("providers"));
        Files.createDirectories(dist.resolve("deploy"));
        for (String jar : List.of("io.enigm.server.provider.key-1.jar", "io.enigm.server.provider.esim-1.jar")) {
            Files.writeString(dist.resolve("providers").resolve(jar), "jar");
        }
        Files.writeString(dist.resolve("providers/provider-key.json"), "{}");
        Files.writeString(dist.resolve("deploy/io.enigm.server.provider.key-1.jar"), "jar");

        assertEquals("available (providers/, not in deploy/): io.enigm.server.provider.esim-1.jar\n",
                ProvidersCommand.available(dist), "the key provider is deployed; descriptors are no providers");
        assertEquals("available: none (no providers/ in the distribution)\n", ProvidersCommand.available(null),
                "a framework without a distribution");
    }

    @Test
    void theBackupCommandRunsTheToolOnThisHomeWithAnAbsoluteTargetAndSecretsOnlyWhenAsked() {
        Path home = Path.of("/srv/enigm/home");

        assertEquals(List.of("backup", "--home", "/srv/enigm/home", "--to", "/backups/monday"),
                BackupCommand.toolArguments(home, List.of("/backups/monday")), "without secrets by default");
        assertEquals(List.of("backup", "--home", "/srv/enigm/home", "--to", "/backups/monday", "--with-secrets"),
                BackupCommand.toolArguments(home, List.of("--with-secrets", "/backups/x/../monday")),
                "with secrets when asked, the target normalized");
        for (List<String> wrong : List.of(List.<String>of(), List.of("relative/dir"), List.of("/a", "/b"),
                List.of("/a", "--with-secrets", "--with-secrets"), List.of("/a", "--force"))) {
            assertThrows(IllegalArgumentException.class, () -> BackupCommand.toolArguments(home, wrong),
                    "refused with the usage: " + wrong);
        }
    }

    @Test
    void aCommandIsAuditedByItsNameAlone() {
        assertEquals("enigm:backup", CommandName.of("  enigm:backup /backups/secret-place --with-secrets"),
                "the arguments stay out of the audit");
        assertEquals("lb", CommandName.of("lb"), "an unscoped command");
        assertEquals(CommandName.OTHER, CommandName.of("$(cat /etc/passwd) x"), "a word that is no command name");
        assertEquals(CommandName.OTHER, CommandName.of("\"quoted\" words"), "nor is a quoted word");
    }
}
