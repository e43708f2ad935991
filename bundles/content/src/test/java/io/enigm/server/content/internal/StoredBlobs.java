package io.enigm.server.content.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/** What the {@link Blobs} the database calls for holds: files in the data home, or chunks in the database. */
record StoredBlobs(Database database, DataHome home) {

    /** The ids of the objects whose bytes are kept outside their row, in order. */
    List<String> ids() throws IOException {
        if (database.sharedByNodes()) {
            return database.read(handle -> handle.createQuery("SELECT DISTINCT object_id FROM content_chunk"
                    + " ORDER BY object_id").mapTo(String.class).list());
        }
        try (Stream<Path> walk = files("objects")) {
            return walk.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** How many uploads are being received, or were left half received. */
    long receiving() throws IOException {
        if (database.sharedByNodes()) {
            return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM content_upload")
                    .mapTo(Long.class).one());
        }
        try (Stream<Path> walk = files("incoming")) {
            return walk.count();
        }
    }

    /** {@link #receiving()} once the discards of failed uploads, handed off, had a few seconds to run. */
    long receivingOnceDiscarded() throws IOException, InterruptedException {
        long receiving = receiving();
        for (int wait = 0; receiving > 0 && wait < 50; wait++) {
            Thread.sleep(100);
            receiving = receiving();
        }
        return receiving;
    }

    private Stream<Path> files(String under) throws IOException {
        return Files.walk(home.directory().resolve("content").resolve(under)).filter(Files::isRegularFile);
    }
}
