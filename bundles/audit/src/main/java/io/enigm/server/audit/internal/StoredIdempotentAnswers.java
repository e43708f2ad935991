package io.enigm.server.audit.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;
import io.enigm.server.work.IdempotentAnswers;
import io.enigm.server.work.RememberedAnswer;

/**
 * Idempotent answers in the {@code idempotent_answer} table, written in the transaction of the
 * unit of work that created what they answer. Answers older than {@link #KEPT} are never recalled,
 * and a sweep deletes them every few minutes, in bounded batches.
 */
@Component(service = IdempotentAnswers.class)
public class StoredIdempotentAnswers implements IdempotentAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(StoredIdempotentAnswers.class);

    /** Rows per deleting transaction: a day's backlog must not hold the store's one writer for long. */
    static final int BATCH = 5_000;
    private static final long SWEEP_MINUTES = 10;

    private final Database database;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    @Activate
    public StoredIdempotentAnswers(@Reference Database database) {
        this(database, Clock.systemUTC());
        scheduler.scheduleWithFixedDelay(this::sweepSafely, SWEEP_MINUTES, SWEEP_MINUTES, TimeUnit.MINUTES);
        LOG.info("Idempotent answers are kept {} and swept every {} min", KEPT, SWEEP_MINUTES);
    }

    StoredIdempotentAnswers(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.scheduler = DaemonThreads.scheduler("enigm-idempotency-sweep");
    }

    @Deactivate
    void stop() {
        scheduler.shutdownNow();
    }

    @Override
    public Optional<RememberedAnswer> recall(String scope, String key) {
        return database.inTransaction(handle -> handle.createQuery("SELECT request_hash, status, location,"
                + " created_id, body FROM idempotent_answer WHERE scope = :scope AND idempotency_key = :key"
                + " AND created_at > :oldest")
                .bind("scope", scope)
                .bind("key", key)
                .bind("oldest", oldest())
                .map((rs, ctx) -> new RememberedAnswer(rs.getBytes("request_hash"), rs.getInt("status"),
                        rs.getString("location"), rs.getString("created_id"), rs.getBytes("body")))
                .findOne());
    }

    @Override
    public void remember(String scope, String key, RememberedAnswer answer) {
        database.inTransaction(handle -> {
            // A key whose answer has aged out but not yet been swept starts afresh.
            handle.createUpdate("DELETE FROM idempotent_answer WHERE scope = :scope AND idempotency_key = :key")
                    .bind("scope", scope).bind("key", key).execute();
            return handle.createUpdate("INSERT INTO idempotent_answer (scope, idempotency_key, request_hash, status,"
                    + " location, created_id, body, created_at) VALUES (:scope, :key, :hash, :status, :location,"
                    + " :createdId, :body, :now)")
                    .bind("scope", scope)
                    .bind("key", key)
                    .bind("hash", answer.requestHash())
                    .bind("status", answer.status())
                    .bind("location", answer.location())
                    .bind("createdId", answer.createdId())
                    .bind("body", answer.body())
                    .bind("now", clock.millis())
                    .execute();
        });
    }

    private long oldest() {
        return clock.millis() - KEPT.toMillis();
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Sweeping idempotent answers failed ({}); retrying on the next run", e.getClass().getName());
        }
    }

    /** Deletes the answers older than {@link #KEPT}; returns how many. */
    int sweep() {
        long oldest = oldest();
        int deleted = 0;
        int batch;
        do {
            batch = database.inTransaction(handle -> handle.createUpdate("DELETE FROM idempotent_answer"
                    + " WHERE (scope, idempotency_key) IN (SELECT scope, idempotency_key FROM idempotent_answer"
                    + " WHERE created_at <= :oldest LIMIT :batch)")
                    .bind("oldest", oldest).bind("batch", BATCH).execute());
            deleted += batch;
        } while (batch == BATCH);
        return deleted;
    }
}
