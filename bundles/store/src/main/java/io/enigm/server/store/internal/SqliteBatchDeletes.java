package io.enigm.server.store.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.store.BatchDeletes;
import io.enigm.server.store.BatchDeletion;
import io.enigm.server.store.Database;

/**
 * Batch deletions in SQLite's dialect: a batch is selected by {@code rowid}, the key every row is
 * stored under (the cheapest to order a slice by and delete by), and {@code DELETE … RETURNING}
 * (SQLite 3.35+) names the environments of the deleted rows without reading them first.
 */
@Component(service = BatchDeletes.class)
public class SqliteBatchDeletes implements BatchDeletes {

    private final Database database;

    @Activate
    public SqliteBatchDeletes(@Reference Database database) {
        this.database = database;
    }

    @Override
    public List<String> delete(BatchDeletion batch) {
        String rows = "SELECT rowid FROM " + batch.table() + " WHERE " + batch.condition() + " ORDER BY rowid LIMIT "
                + batch.limit();
        return database.inTransaction(handle -> {
            for (BatchDeletion.Referrer referrer : batch.referrers()) {
                handle.createUpdate("UPDATE " + referrer.table() + " SET " + referrer.column() + " = NULL WHERE "
                        + referrer.column() + " IN (SELECT id FROM " + batch.table() + " WHERE rowid IN (" + rows + "))")
                        .bindMap(batch.parameters()).execute();
            }
            return handle.createQuery("DELETE FROM " + batch.table() + " WHERE rowid IN (" + rows
                    + ") RETURNING environment_id").bindMap(batch.parameters()).mapTo(String.class).list();
        });
    }
}
