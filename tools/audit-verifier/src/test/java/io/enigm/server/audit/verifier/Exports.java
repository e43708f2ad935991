package io.enigm.server.audit.verifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.enigm.server.audit.AuditChange;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

/**
 * A real audit log on a real SQLite file, its exports written to files, and the verifier run on them
 * as its command line runs it.
 */
final class Exports {

    /** What the verifier printed and how it exited. */
    record Run(int exit, String out, String err) {
    }

    final DataHome home;
    final Database database;
    final AuditLog log;
    final TestClock clock = new TestClock();
    private final Path directory;

    Exports(Path directory) {
        this.directory = directory;
        this.home = TestDatabases.home(directory.resolve("home"));
        this.database = TestDatabases.open(home);
        this.log = TestAuditLogs.open(home, database, clock);
    }

    /** Appends {@code count} records, alternating between environments e1 and e2. */
    Exports append(int count) {
        for (int i = 0; i < count; i++) {
            long next = database.read(handle -> handle.createQuery("SELECT count(*) FROM audit_record")
                    .mapTo(Long.class).one()) + 1;
            log.append(new AuditEntry("tok-" + next, "ADMINISTRATOR", next % 2 == 1 ? "e1" : "e2",
                    "action-" + next, "target-" + next, AuditOutcome.ALLOWED, null));
        }
        return this;
    }

    /** Appends an update that names what it changed. */
    Exports appendRename(String before, String after) {
        log.append(new AuditEntry("tok-rename", "ADMINISTRATOR", "e1", "environment.update", "e1",
                AuditOutcome.ALLOWED, null, List.of(new AuditChange("name", before, after), AuditChange.withheld("pin"))));
        return this;
    }

    /** Lets a minute pass, so that the next record is checkpointed. */
    Exports aMinuteLater() {
        clock.advance(Duration.ofMinutes(1));
        return this;
    }

    /** The export of {@code environmentId} ({@code null} for the whole chain), as a file. */
    Path export(String environmentId) {
        Path file = directory.resolve("export-" + environmentId + "-" + System.nanoTime() + ".jsonl");
        try (OutputStream out = Files.newOutputStream(file)) {
            log.export(environmentId, out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** Runs SQL on the database file as someone with the file but not the service would: triggers dropped. */
    Exports tamperDatabase(String... statements) {
        database.inTransaction(handle -> {
            for (String trigger : List.of("audit_record_no_update", "audit_record_no_delete",
                    "audit_checkpoint_no_update", "audit_checkpoint_no_delete")) {
                handle.execute("DROP TRIGGER IF EXISTS " + trigger);
            }
            for (String statement : statements) {
                handle.execute(statement);
            }
            return null;
        });
        return this;
    }

    static List<String> lines(Path file) {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path write(Path file, List<String> lines) {
        try {
            return Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The verifier's command line on {@code file}. */
    static Run verify(Path file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AuditVerifier.run(new String[] {file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8).trim(), err.toString(StandardCharsets.UTF_8).trim());
    }
}
