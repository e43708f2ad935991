package io.enigm.server.store;

import io.enigm.server.environment.EnvironmentData;

/**
 * {@link EnvironmentData} kept in one table of its own with an {@code environment_id} column: a
 * bundle registers a subclass naming the kind and the table, and its rows go with the environment.
 * The erasure joins the eraser's write transaction, so the rows go together with its audit record.
 */
public abstract class EnvironmentTableData implements EnvironmentData {

    private final Database database;
    private final String name;
    private final String table;

    /**
     * @param database the database holding the table
     * @param name     the kind's name in logs and audit actions
     * @param table    the table, a plain SQL identifier (it is written into the statements)
     */
    protected EnvironmentTableData(Database database, String name, String table) {
        this.database = database;
        this.name = name;
        this.table = SqlIdentifiers.plain(table);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean holds(String environmentId) {
        return database.read(handle -> handle.createQuery(
                "SELECT EXISTS (SELECT 1 FROM " + table + " WHERE environment_id = :env)")
                .bind("env", environmentId).mapTo(Boolean.class).one());
    }

    @Override
    public void erase(String environmentId) {
        database.inTransaction(handle -> handle.createUpdate("DELETE FROM " + table + " WHERE environment_id = :env")
                .bind("env", environmentId).execute());
    }
}
