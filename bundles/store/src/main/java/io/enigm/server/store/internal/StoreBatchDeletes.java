package io.enigm.server.store.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.store.BatchDeletes;
import io.enigm.server.store.BatchDeletion;
import io.enigm.server.store.Database;

/**
 * Batch deletions, in the engine's dialect. SQLite selects a batch by {@code rowid}, the key every
 * row is stored under (the cheapest to order a slice by and delete by); PostgreSQL by the table's
 * {@code id} key. Both name the environments of the deleted rows by {@code DELETE … RETURNING}
 * instead of reading them first.
 */
@Component(service = BatchDeletes.class)
public class StoreBatchDeletes implements BatchDeletes {

    private final Database database;
    private final String rowKey;

    @Activate
    public StoreBatchDeletes(@Reference Database database) {
        this(database, database instanceof StoreDatabase store ? store.dialect() : Dialect.SQLITE);
    }

    StoreBatchDeletes(Database database, Dialect dialect) {
        this.database = database;
        this.rowKey = dialect == Dialect.SQLITE ? "rowid" : "id";
    }

    @Override
    public List<String> delete(BatchDeletion batch) {
        String rows = "SELECT " + rowKey + " FROM " + batch.table() + " WHERE " + batch.condition() + " ORDER BY "
                + rowKey + " LIMIT " + batch.limit();
        return database.inTransaction(handle -> {
            for (BatchDeletion.Referrer referrer : batch.referrers()) {
                handle.createUpdate("UPDATE " + referrer.table() + " SET " + referrer.column() + " = NULL WHERE "
                        + referrer.column() + " IN (SELECT id FROM " + batch.table() + " WHERE " + rowKey + " IN ("
                        + rows + "))")
                        .bindMap(batch.parameters()).execute();
            }
            return handle.createQuery("DELETE FROM " + batch.table() + " WHERE " + rowKey + " IN (" + rows
                    + ") RETURNING environment_id").bindMap(batch.parameters()).mapTo(String.class).list();
        });
    }
}
