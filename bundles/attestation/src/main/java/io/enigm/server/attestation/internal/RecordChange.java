package io.enigm.server.attestation.internal;

import java.util.Map;

import io.enigm.server.attestation.registry.AttestationChange;
import io.enigm.server.store.Database;

/** A provider operation's outcome, prepared off the writer: applied in one short transaction. */
final class RecordChange implements AttestationChange {

    private final Database database;
    private final DeviceRecords records;
    private final Map<String, Object> view;
    private final Runnable lifecycleEvent;

    /** {@code lifecycleEvent}: records the security event the change is, in its transaction; {@code null} for none. */
    RecordChange(Database database, DeviceRecords records, Map<String, Object> view, Runnable lifecycleEvent) {
        this.database = database;
        this.records = records;
        this.view = view;
        this.lifecycleEvent = lifecycleEvent;
    }

    @Override
    public Map<String, Object> view() {
        return view;
    }

    @Override
    public boolean endsSessions() {
        return records.endsSessions();
    }

    @Override
    public void apply() {
        database.inTransaction(handle -> {
            records.applyTo(handle);
            if (lifecycleEvent != null) {
                lifecycleEvent.run();
            }
            return null;
        });
    }
}
