package io.enigm.server.audit.internal;

import org.jdbi.v3.core.Handle;

import io.enigm.server.store.internal.TestDatabases;

/** What someone with direct access to the database, but not the service, does to the audit tables. */
final class Tampering {

    private Tampering() {
    }

    /** Drops one of the triggers that keep an audit table append-only. */
    static void dropTrigger(Handle handle, String table, String trigger) {
        // PostgreSQL names a trigger within its table; SQLite's trigger names are the schema's own
        handle.execute(TestDatabases.postgres() ? "DROP TRIGGER " + trigger + " ON " + table
                : "DROP TRIGGER " + trigger);
    }

    /** A trigger that fails, at run time, every insert of an audit record whose action is {@code overflow}. */
    static void failOverflowInserts(Handle handle) {
        // the integer overflow of abs(minimum) on both engines; PostgreSQL wants the trigger's body as a function
        if (TestDatabases.postgres()) {
            handle.execute("CREATE FUNCTION overflow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.action = 'overflow' THEN PERFORM abs(-9223372036854775807 - 1); END IF;"
                    + " RETURN NEW; END $$");
            handle.execute("CREATE TRIGGER overflow BEFORE INSERT ON audit_record FOR EACH ROW"
                    + " EXECUTE FUNCTION overflow()");
        } else {
            handle.execute("CREATE TRIGGER overflow BEFORE INSERT ON audit_record"
                    + " WHEN NEW.action = 'overflow' BEGIN SELECT abs(-9223372036854775807 - 1); END");
        }
    }
}
