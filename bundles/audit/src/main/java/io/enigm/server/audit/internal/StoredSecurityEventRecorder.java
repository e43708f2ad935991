package io.enigm.server.audit.internal;

import java.time.Clock;
import java.util.Objects;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.enigm.server.support.ids.TimeOrderedIds;

/**
 * Appends security events to {@code security_event}, joining the caller's transaction. The time is
 * kept to the minute: enough to review and correlate, too coarse to match an event with a request
 * in another party's logs.
 */
@Component(service = SecurityEventRecorder.class)
public class StoredSecurityEventRecorder implements SecurityEventRecorder {

    static final long RESOLUTION_MILLIS = 60_000;

    private final Database database;
    private final Clock clock;

    @Activate
    public StoredSecurityEventRecorder(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    StoredSecurityEventRecorder(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public void record(String environmentId, SecurityEventCategory category, String subjectHandle, long occurrences) {
        Objects.requireNonNull(category, "category");
        if (occurrences < 1) {
            throw new IllegalArgumentException("an event stands for at least one occurrence");
        }
        long now = clock.millis();
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO security_event (id, environment_id,"
                + " category, risk, subject_handle, created_at, occurrences)"
                + " VALUES (:id, :env, :category, :risk, :subject, :minute, :occurrences)")
                .bind("id", TimeOrderedIds.next()).bind("env", environmentId).bind("category", category.name())
                .bind("risk", category.risk().name()).bind("subject", subjectHandle)
                .bind("minute", now - Math.floorMod(now, RESOLUTION_MILLIS)).bind("occurrences", occurrences)
                .execute());
    }
}
