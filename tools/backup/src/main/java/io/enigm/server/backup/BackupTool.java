package io.enigm.server.backup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line, run by {@code enigm-server backup} and {@code enigm-server restore}:
 *
 * <pre>
 * java -jar enigm-backup.jar backup  --home HOME --to DIR [--with-secrets]
 * java -jar enigm-backup.jar restore --from DIR --home HOME [--secrets SECRETS-DIR]
 * </pre>
 *
 * Exit 0 done, 1 refused or failed (one line says why), 2 a wrong command line.
 */
public final class BackupTool {

    private static final String USAGE = "usage: enigm-backup backup --home HOME --to DIR [--with-secrets]\n"
            + "       enigm-backup restore --from DIR --home HOME [--secrets SECRETS-DIR]";

    private static final Set<String> PATH_OPTIONS = Set.of("--home", "--to", "--from", "--secrets");

    private BackupTool() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.err));
    }

    /**
     * Runs one command line, writing what it did (and any refusal) to {@code err}; the exit code as
     * {@link #main}'s. Also the entry point of the server shell's {@code enigm:backup}, which copies
     * this package into its bundle and runs the same backup in the server's process.
     */
    public static int run(List<String> args, PrintStream err) {
        Deque<String> rest = new ArrayDeque<>(args);
        String command = rest.poll();
        Map<String, Path> paths = new HashMap<>();
        boolean withSecrets = false;
        while (!rest.isEmpty()) {
            String option = rest.poll();
            if (option.equals("--with-secrets")) {
                withSecrets = true;
            } else if (PATH_OPTIONS.contains(option) && !rest.isEmpty()) {
                paths.put(option, Path.of(rest.poll()).toAbsolutePath().normalize());
            } else {
                return usage(err);
            }
        }
        boolean backup = "backup".equals(command) && paths.keySet().equals(Set.of("--home", "--to"));
        boolean restore = "restore".equals(command) && !withSecrets && paths.containsKey("--from")
                && paths.containsKey("--home") && !paths.containsKey("--to");
        if (!backup && !restore) {
            return usage(err);
        }
        try {
            if (backup) {
                backup(paths.get("--home"), paths.get("--to"), withSecrets, err);
            } else {
                restore(paths.get("--from"), paths.get("--home"), paths.get("--secrets"), err);
            }
            return 0;
        } catch (ToolException e) {
            err.println("enigm-backup: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("enigm-backup: failed: " + e);
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println(USAGE);
        return 2;
    }

    private static void backup(Path home, Path to, boolean withSecrets, PrintStream err) throws IOException {
        // SQLite's native library is unpacked into the data home, as the server does
        System.setProperty("org.sqlite.tmpdir", PrivateFiles.directory(home.resolve("tmp")).toString());
        OnlineBackup.Result result = OnlineBackup.run(home, to, withSecrets);
        err.printf("enigm-backup: backed up %s to %s: database at schema version %d, %d content blobs,"
                + " %d configuration files%n", home, to, result.manifest().schemaVersion(), result.manifest().blobs(),
                result.configFiles());
        if (withSecrets) {
            err.println("""
                    enigm-backup: *****************************************************************************
                    enigm-backup: WARNING: this backup holds the installation's SECRETS (%d files): the owner
                    enigm-backup: token, the console password, the installation key that unwraps every
                    enigm-backup: environment key, the audit signing key. Whoever reads it can act as the
                    enigm-backup: owner. Keep it as you keep the data home, never beside backups of less trust.
                    enigm-backup: *****************************************************************************"""
                    .formatted(result.secretFiles()));
        } else {
            err.println("enigm-backup: without secrets/: keep a copy of " + home.resolve(Secrets.DIRECTORY)
                    + " elsewhere (restore needs its installation key), or back up with --with-secrets");
        }
    }

    private static void restore(Path from, Path home, Path secrets, PrintStream err) throws IOException {
        Restore.Result result = Restore.run(from, home, secrets);
        err.printf("enigm-backup: restored %s into %s (schema version %d, %d content blobs)%n", from, home,
                result.manifest().schemaVersion(), result.manifest().blobs());
        if (!Restore.hasInstallationKey(home)) {
            err.println("enigm-backup: WARNING: " + home.resolve(Secrets.DIRECTORY) + " holds no installation key."
                    + " Copy the secrets/ of the backed-up home there before starting (or restore again with"
                    + " --secrets DIR): the server refuses to start without the key its environments' keys are"
                    + " wrapped under.");
        }
    }
}
