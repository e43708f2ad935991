package io.enigm.server.audit.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import io.enigm.server.audit.verifier.ExportReader.UnreadableException;

/**
 * {@code java -jar enigm-audit-verifier.jar [--key PUBLIC_KEY] export.jsonl}: checks an audit export
 * with no access to the server and prints {@code intact} with its counts and range, or the first
 * broken sequence number and what is wrong there. With {@code --key} (the installation's
 * {@code secrets/audit-signing-key-public}, as it is or in base64) an export signed with any other
 * key is broken: without it, whoever hands over an export could have signed a rewritten one.
 * Exits 0 when intact, 1 when broken, 2 when the export cannot be read.
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

    /** The key file as the installation keeps it (X.509 DER), or the same in base64 as an export's header shows it. */
    private static byte[] publicKey(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return Base64.getDecoder().decode(new String(bytes, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            return bytes;
        }
    }

    /** What {@link #main} does, printing to {@code out} and {@code err}, returning the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean keyed = args.length == 3 && "--key".equals(args[0]);
        if (args.length != 1 && !keyed) {
            err.println("usage: java -jar enigm-audit-verifier.jar [--key AUDIT_PUBLIC_KEY] EXPORT.jsonl");
            return UNREADABLE;
        }
        String export = args[args.length - 1];
        // bytes, not a Reader: Jackson's UTF-8 parser reads them without decoding every line to chars first
        try (InputStream in = Files.newInputStream(Path.of(export))) {
            byte[] trusted = keyed ? publicKey(Path.of(args[1])) : null;
            Verdict verdict = new ChainWalk(new ExportReader(in), trusted).verify();
            out.println(verdict.describe());
            return verdict.intact() ? INTACT : BROKEN;
        } catch (UnreadableException e) {
            err.println("unreadable: " + e.getMessage());
            return UNREADABLE;
        } catch (IOException e) {
            err.println("unreadable: " + export + " or the key cannot be read (" + e.getClass().getSimpleName() + ")");
            return UNREADABLE;
        }
    }
}
