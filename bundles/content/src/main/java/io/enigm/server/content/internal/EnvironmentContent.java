package io.enigm.server.content.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/**
 * A deleted environment's content, for the environment bundle's eraser (which waits while a legal
 * hold covers the environment or one of its members): the rows of its objects, recipients and
 * deletion jobs go in the eraser's transaction, with its audit record, and their bytes with them
 * (see {@link Blobs#erase}).
 */
@Component(service = EnvironmentData.class)
public class EnvironmentContent implements EnvironmentData {

    private final Database database;
    private final ContentErasure erasure;

    @Activate
    public EnvironmentContent(@Reference Database database, @Reference DataHome home) {
        this(database, Blobs.of(database, home));
    }

    EnvironmentContent(Database database, Blobs blobs) {
        this.database = database;
        this.erasure = new ContentErasure(blobs);
    }

    @Override
    public String name() {
        return "content";
    }

    @Override
    public boolean holds(String environmentId) {
        return database.read(handle -> handle.createQuery(
                "SELECT EXISTS (SELECT 1 FROM content_object WHERE environment_id = :env)"
                + " OR EXISTS (SELECT 1 FROM content_deletion WHERE environment_id = :env)")
                .bind("env", environmentId).mapTo(Boolean.class).one());
    }

    @Override
    public void erase(String environmentId) {
        database.inTransaction(handle -> {
            erasure.eraseWhere(handle, "environment_id = :env", Map.of("env", environmentId));
            // deletion jobs and their receipts, which name members by id
            handle.createUpdate("DELETE FROM content_deletion WHERE environment_id = :env")
                    .bind("env", environmentId).execute();
            return null;
        });
    }
}
