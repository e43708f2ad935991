package io.enigm.server.webhook.internal;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jdbi.v3.core.Handle;

import io.enigm.server.common.Keyset;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.store.KeysetCondition;
import io.enigm.server.webhook.WebhookBatch;
import io.enigm.server.webhook.WebhookBatchState;

/** The outbox's rows: its cursor into the security events, and its batches. */
final class OutboxRows {

    /** A batch due for an attempt. */
    record Due(String id, String target, String body, int attempts) {
    }

    private static final String COLUMNS = "id, target, state, events, attempts, created_at, next_attempt_at,"
            + " last_failure, delivered_at";

    private OutboxRows() {
    }

    /** The creation time (to the minute) of the newest event batched, if any was. */
    static Optional<Long> newestBatched(Handle handle) {
        return handle.createQuery("SELECT newest_created FROM webhook_cursor WHERE id = 1").mapTo(Long.class)
                .findOne();
    }

    /** Of {@code eventIds}, those not yet in a batch. */
    static Set<String> unbatched(Handle handle, List<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        Set<String> fresh = new HashSet<>(eventIds);
        fresh.removeAll(handle.createQuery("SELECT event_id FROM webhook_event WHERE event_id IN (<ids>)")
                .bindList("ids", eventIds).mapTo(String.class).list());
        return fresh;
    }

    /** Remembers that these events are in a batch now, and the newest creation time among them. */
    static void batched(Handle handle, List<SecurityEvent> events) {
        var insert = handle.prepareBatch("INSERT INTO webhook_event (event_id, event_created) VALUES (:id, :created)");
        long newest = 0;
        for (SecurityEvent event : events) {
            insert.bind("id", event.id()).bind("created", event.createdAt().toEpochMilli()).add();
            newest = Math.max(newest, event.createdAt().toEpochMilli());
        }
        insert.execute();
        // a CASE, not the scalar MAX of SQLite (PostgreSQL's is GREATEST); the table named, as PostgreSQL wants
        handle.createUpdate("INSERT INTO webhook_cursor (id, newest_created) VALUES (1, :newest) ON CONFLICT (id)"
                + " DO UPDATE SET newest_created = CASE WHEN excluded.newest_created > webhook_cursor.newest_created"
                + " THEN excluded.newest_created ELSE webhook_cursor.newest_created END")
                .bind("newest", newest).execute();
    }

    /** Forgets batched events created before {@code before}: the look-back never reaches them again. */
    static void forgetBatchedBefore(Handle handle, long before) {
        handle.createUpdate("DELETE FROM webhook_event WHERE event_created < :before").bind("before", before)
                .execute();
    }

    static void add(Handle handle, String id, String target, String body, int events, long now) {
        handle.createUpdate("INSERT INTO webhook_batch (id, target, body, events, state, attempts, next_attempt_at,"
                + " created_at) VALUES (:id, :target, :body, :events, 'PENDING', 0, :now, :now)")
                .bind("id", id).bind("target", target).bind("body", body).bind("events", events).bind("now", now)
                .execute();
    }

    static List<Due> due(Handle handle, long now, int limit) {
        return handle.createQuery("SELECT id, target, body, attempts FROM webhook_batch WHERE state = 'PENDING'"
                + " AND next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT :limit")
                .bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4))).list();
    }

    static void delivered(Handle handle, String id, long now) {
        handle.createUpdate("UPDATE webhook_batch SET state = 'DELIVERED', delivered_at = :now, next_attempt_at = :now"
                + " WHERE id = :id AND state = 'PENDING'").bind("id", id).bind("now", now).execute();
    }

    /** A failed attempt: tried again at {@code nextAttemptAt}, or parked when {@code parked}. */
    static void failed(Handle handle, String id, int attempts, long nextAttemptAt, boolean parked, String failure) {
        handle.createUpdate("UPDATE webhook_batch SET attempts = :attempts, next_attempt_at = :next,"
                + " state = :state, last_failure = :failure WHERE id = :id AND state = 'PENDING'")
                .bind("id", id).bind("attempts", attempts).bind("next", nextAttemptAt)
                .bind("state", parked ? "PARKED" : "PENDING").bind("failure", failure).execute();
    }

    /** @return whether a parked batch was given new attempts */
    static boolean redrive(Handle handle, String id, long now) {
        return handle.createUpdate("UPDATE webhook_batch SET state = 'PENDING', attempts = 0, next_attempt_at = :now"
                + " WHERE id = :id AND state = 'PARKED'").bind("id", id).bind("now", now).execute() == 1;
    }

    static long count(Handle handle, WebhookBatchState state) {
        return handle.createQuery("SELECT COUNT(*) FROM webhook_batch WHERE state = :state")
                .bind("state", state.name()).mapTo(Long.class).one();
    }

    static int removeDelivered(Handle handle, long before) {
        return handle.createUpdate("DELETE FROM webhook_batch WHERE state = 'DELIVERED' AND delivered_at < :before")
                .bind("before", before).execute();
    }

    static Optional<WebhookBatch> find(Handle handle, String id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM webhook_batch WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> batch(rs)).findOne();
    }

    static Page<WebhookBatch> list(Handle handle, WebhookBatchState state, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        var query = handle.createQuery("SELECT " + COLUMNS + " FROM webhook_batch WHERE 1 = 1"
                + (state == null ? "" : " AND state = :state") + KeysetCondition.after(after, "")
                + " ORDER BY created_at, id LIMIT :limit").bind("limit", page.limit() + 1);
        if (state != null) {
            query.bind("state", state.name());
        }
        KeysetCondition.bind(query, after);
        List<WebhookBatch> rows = query.map((rs, ctx) -> batch(rs)).list();
        return Keyset.page(rows, page.limit(), batch -> new Keyset(batch.createdAt().toEpochMilli(), batch.id()));
    }

    private static WebhookBatch batch(ResultSet rs) throws SQLException {
        WebhookBatchState state = WebhookBatchState.valueOf(rs.getString("state"));
        long delivered = rs.getLong("delivered_at");
        boolean wasDelivered = !rs.wasNull();
        return new WebhookBatch(rs.getString("id"), destination(rs.getString("target")), state, rs.getInt("events"),
                rs.getInt("attempts"), Instant.ofEpochMilli(rs.getLong("created_at")),
                state == WebhookBatchState.PENDING ? Instant.ofEpochMilli(rs.getLong("next_attempt_at")) : null,
                rs.getString("last_failure"), wasDelivered ? Instant.ofEpochMilli(delivered) : null);
    }

    /** Scheme, host and port: a receiver's path or query may carry its own credential. */
    static String destination(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
