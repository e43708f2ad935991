package io.enigm.server.environment;

import java.util.regex.Pattern;

import org.jdbi.v3.core.Handle;

/**
 * {@link EnvironmentData} kept in one table of its own with an {@code environment_id} column: a
 * bundle registers a subclass naming the kind and the table, and its rows go with the environment.
 */
public abstract class EnvironmentTableData implements EnvironmentData {

    private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final String name;
    private final String table;

    /**
     * @param name  the kind's name in logs and audit actions
     * @param table the table, a plain SQL identifier (it is written into the statements)
     */
    protected EnvironmentTableData(String name, String table) {
        if (!TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("not a plain table name: " + table);
        }
        this.name = name;
        this.table = table;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean holds(Handle handle, String environmentId) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE environment_id = :env)")
                .bind("env", environmentId).mapTo(Boolean.class).one();
    }

    @Override
    public void erase(Handle handle, String environmentId) {
        handle.createUpdate("DELETE FROM " + table + " WHERE environment_id = :env").bind("env", environmentId)
                .execute();
    }
}
