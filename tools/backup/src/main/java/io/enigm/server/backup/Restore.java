package io.enigm.server.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A backup brought back into an empty data home: the database copy (checked), its blobs, the
 * ConfigAdmin store, and the secrets from the backup or from a copy of them kept elsewhere. The
 * server migrates an older schema when it starts on the restored home.
 */
final class Restore {

    private Restore() {
    }

    record Result(Manifest manifest, boolean withSecrets) {
    }

    /** {@code secrets}: the secrets directory to take the keys from when the backup holds none, or {@code null}. */
    static Result run(Path backup, Path home, Path secrets) throws IOException {
        Manifest manifest = Manifest.read(backup);
        if (manifest.withSecrets() && secrets != null) {
            throw new ToolException("the backup holds its secrets; --secrets is for a backup made without them");
        }
        PrivateFiles.emptyDirectory(home, "the data home");
        // SQLite's native library is unpacked here, not into a shared temporary directory
        System.setProperty("org.sqlite.tmpdir", PrivateFiles.directory(home.resolve("tmp")).toString());

        Path database = home.resolve(DatabaseFile.NAME);
        PrivateFiles.copy(backup.resolve(DatabaseFile.NAME), database);
        Set<String> blobIds = DatabaseFile.check(database).blobIds();
        PrivateFiles.copyTree(backup.resolve(BlobFiles.OBJECTS), home.resolve(BlobFiles.OBJECTS));
        BlobFiles restored = new BlobFiles(home);
        for (String id : blobIds) {
            if (restored.locate(id) == null) {
                throw new ToolException("the backup lacks the bytes of content object " + id
                        + "; " + home + " is incomplete: empty it before restoring another backup");
            }
        }
        PrivateFiles.copyTree(backup.resolve("config"), home.resolve("config"));
        Path restoredSecrets = home.resolve(Secrets.DIRECTORY);
        if (manifest.withSecrets()) {
            Secrets.copy(backup.resolve(Secrets.DIRECTORY), restoredSecrets);
        } else if (secrets != null) {
            Secrets.copyKeys(secrets, restoredSecrets);
        } else {
            PrivateFiles.directory(restoredSecrets);
        }
        return new Result(manifest, manifest.withSecrets() || secrets != null);
    }

    static boolean hasInstallationKey(Path home) {
        return Files.isRegularFile(home.resolve(Secrets.DIRECTORY).resolve("installation-key"));
    }
}
