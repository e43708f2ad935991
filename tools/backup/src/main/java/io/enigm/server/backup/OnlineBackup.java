package io.enigm.server.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A consistent copy of a data home while its server runs: the database as one commit left it, every
 * blob that copy names, the ConfigAdmin store, and the secrets only when asked.
 *
 * <p>Blob files are written before their row commits and deleted after their row's deletion commits,
 * so every blob a snapshot names exists from before the snapshot until after it. The blobs are copied
 * first, then the database; what the snapshot names that the first pass missed (published meanwhile)
 * is copied after it. If such a blob is already gone, its object was deleted after the snapshot: the
 * snapshot is taken again, until every blob it names is in the copy. Blobs the final snapshot does
 * not name (deleted before it) are left out.
 */
final class OnlineBackup {

    /** Snapshots taken at most: each retry needs an object published and deleted within one pass. */
    static final int ATTEMPTS = 5;

    private OnlineBackup() {
    }

    record Result(Manifest manifest, int configFiles, int secretFiles) {
    }

    static Result run(Path home, Path target, boolean withSecrets) throws IOException {
        Path database = home.resolve(DatabaseFile.NAME);
        if (!Files.isRegularFile(database)) {
            throw new ToolException("no database at " + database + ": is " + home + " a data home?");
        }
        PrivateFiles.emptyDirectory(target, "the backup directory");
        // Before the snapshot: the copy of the latest audit checkpoint among the secrets must not vouch
        // for records the snapshot does not hold.
        int secretFiles = withSecrets ? Secrets.copy(home.resolve(Secrets.DIRECTORY), target.resolve(Secrets.DIRECTORY))
                : 0;
        int configFiles = PrivateFiles.copyTree(home.resolve("config"), target.resolve("config"));

        BlobFiles live = new BlobFiles(home);
        BlobFiles copy = new BlobFiles(target);
        Map<String, Path> copied = new HashMap<>();
        for (Map.Entry<String, Path> blob : live.list().entrySet()) {
            Path to = copy.placeLike(blob.getValue(), live);
            if (PrivateFiles.copy(blob.getValue(), to)) {
                copied.put(blob.getKey(), to);
            }
        }

        Path snapshot = target.resolve(DatabaseFile.NAME + ".part");
        DatabaseFile.Contents contents = null;
        for (int attempt = 1; attempt <= ATTEMPTS && contents == null; attempt++) {
            Files.deleteIfExists(snapshot);
            DatabaseFile.snapshot(database, snapshot);
            DatabaseFile.Contents taken = DatabaseFile.check(snapshot);
            if (copyMissing(taken.blobIds(), live, copy, copied)) {
                contents = taken;
            }
        }
        if (contents == null) {
            Files.deleteIfExists(snapshot);
            throw new ToolException("content was deleted faster than " + ATTEMPTS
                    + " snapshots could be copied; try again when the server is less busy");
        }
        for (Map.Entry<String, Path> blob : copied.entrySet()) {
            if (!contents.blobIds().contains(blob.getKey())) {
                Files.delete(blob.getValue());
            }
        }
        PrivateFiles.ownerOnly(snapshot);
        Files.move(snapshot, target.resolve(DatabaseFile.NAME), StandardCopyOption.ATOMIC_MOVE);
        // last: a directory without it is an unfinished backup, which restore refuses
        Manifest manifest = new Manifest(contents.schemaVersion(), contents.blobIds().size(), withSecrets);
        manifest.write(target);
        return new Result(manifest, configFiles, secretFiles);
    }

    /** Copies the named blobs not copied yet; false when one is gone from the live store. */
    private static boolean copyMissing(Set<String> named, BlobFiles live, BlobFiles copy, Map<String, Path> copied)
            throws IOException {
        Set<String> missing = new HashSet<>(named);
        missing.removeAll(copied.keySet());
        for (String id : missing) {
            Path from = live.locate(id);
            if (from == null) {
                return false;
            }
            Path to = copy.placeLike(from, live);
            if (!PrivateFiles.copy(from, to)) {
                return false;
            }
            copied.put(id, to);
        }
        return true;
    }
}
