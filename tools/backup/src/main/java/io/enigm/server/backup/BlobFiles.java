package io.enigm.server.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The content bundle's blob store under a data home, as its BlobStore lays it out:
 * {@code content/objects/<two characters of the id>/<id>}, one immutable file per published object
 * (written elsewhere and renamed into place, deleted only after its row's deletion commits).
 */
final class BlobFiles {

    static final String OBJECTS = "content/objects";

    /** Where the two characters of the directory are taken from an id, and where older versions took them. */
    private static final int SHARD = 18;
    private static final int OLD_SHARD = 0;

    private final Path objects;

    BlobFiles(Path home) {
        this.objects = home.resolve(OBJECTS);
    }

    /** Every blob there now, by id. */
    Map<String, Path> list() throws IOException {
        Map<String, Path> blobs = new HashMap<>();
        if (!Files.isDirectory(objects)) {
            return blobs;
        }
        try (Stream<Path> files = Files.find(objects, 2, (file, attributes) -> attributes.isRegularFile())) {
            files.forEach(file -> blobs.put(file.getFileName().toString(), file));
        }
        return blobs;
    }

    /** Where the blob of {@code id} is now, in either layout, or {@code null}. */
    Path locate(String id) {
        for (int shard : new int[] {SHARD, OLD_SHARD}) {
            if (id.length() >= shard + 2) {
                Path file = place(id, shard);
                if (Files.isRegularFile(file)) {
                    return file;
                }
            }
        }
        return null;
    }

    /** Where the blob of a copied {@code id} goes, relative to the same place as {@code from} lies in its store. */
    Path placeLike(Path from, BlobFiles store) {
        return objects.resolve(store.objects.relativize(from).toString());
    }

    private Path place(String id, int shard) {
        return objects.resolve(id.substring(shard, shard + 2)).resolve(id);
    }
}
