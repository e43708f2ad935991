package io.enigm.server.benchmarks.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.support.ids.TimeOrderedIds;

/**
 * {@code java -cp benchmarks.jar io.enigm.server.benchmarks.audit.GenerateExport DIRECTORY RECORDS}: a
 * real audit log of that many records (appended in transactions of 10,000, so it takes minutes, not
 * hours; checkpoints every 10,000 as always) in {@code DIRECTORY/home}, exported whole to
 * {@code DIRECTORY/export.jsonl}, for timing the standalone verifier on a large export.
 */
public final class GenerateExport {

    private static final String[] ACTIONS = {"environment.get", "environment.update", "member.list",
            "device.trust.update", "audit.list", "admin-token.create"};
    private static final int PER_TRANSACTION = 10_000;

    private GenerateExport() {
    }

    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        long records = Long.parseLong(args[1]);
        DataHome home = TestDatabases.home(directory.resolve("home"));
        Database database = TestDatabases.open(home);
        AuditLog log = TestAuditLogs.open(home, database);
        String[] environments = {TimeOrderedIds.next(), TimeOrderedIds.next(), TimeOrderedIds.next()};
        for (long done = 0; done < records; done += PER_TRANSACTION) {
            long first = done;
            database.inTransaction(handle -> {
                for (long i = first; i < Math.min(records, first + PER_TRANSACTION); i++) {
                    log.append(new AuditEntry(TimeOrderedIds.next().substring(0, 16), "ADMINISTRATOR",
                            environments[(int) (i % environments.length)], ACTIONS[(int) (i % ACTIONS.length)],
                            TimeOrderedIds.next(), i % 17 == 0 ? AuditOutcome.DENIED : AuditOutcome.ALLOWED,
                            i % 17 == 0 ? "ROLE" : null));
                }
                return null;
            });
        }
        Path export = directory.resolve("export.jsonl");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(export), 1 << 16)) {
            log.export(null, out);
        }
        System.out.println(records + " records exported to " + export + " (" + Files.size(export) + " bytes)");
    }
}
