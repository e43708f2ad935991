package io.enigm.server.audit.verifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.enigm.server.audit.verifier.ExportReader.UnreadableException;

/**
 * {@code java -jar enigm-audit-verifier.jar export.jsonl}: checks an audit export with no access to
 * the server and prints {@code intact} with its counts and range, or the first broken sequence
 * number and what is wrong there. Exits 0 when intact, 1 when broken, 2 when the export cannot be read.
 */
public final class AuditVerifier {

    public static final int INTACT = 0;
    public static final int BROKEN = 1;
    public static final int UNREADABLE = 2;

    private AuditVerifier() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** What {@link #main} does, printing to {@code out} and {@code err}, returning the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: java -jar enigm-audit-verifier.jar EXPORT.jsonl");
            return UNREADABLE;
        }
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            Verdict verdict = new ChainWalk(new ExportReader(in)).verify();
            out.println(verdict.describe());
            return verdict.intact() ? INTACT : BROKEN;
        } catch (UnreadableException e) {
            err.println("unreadable: " + e.getMessage());
            return UNREADABLE;
        } catch (IOException e) {
            err.println("unreadable: " + args[0] + " cannot be read (" + e.getClass().getSimpleName() + ")");
            return UNREADABLE;
        }
    }
}
