package io.enigm.server.content.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.enigm.server.audit.AuditRecord;
import io.enigm.server.content.DeletionJob;
import io.enigm.server.content.DeletionReceipt;
import io.enigm.server.content.DeletionScope;

/** The SQL of {@code content_deletion} and of the objects a deletion job covers. */
final class DeletionRows {

    private static final String COLUMNS = "id, environment_id, scope, member_id, objects, bytes, erased, requested_at,"
            + " completed_at, audit_sequence, audit_hash";

    private DeletionRows() {
    }

    /**
     * Marks the environment's unexpired objects, or those its member sent, as covered by the job, and
     * records the job with their count and size. Objects stored later are not covered.
     */
    static DeletionJob start(Handle handle, String jobId, String environmentId, DeletionScope scope, String memberId,
            Instant now) {
        var cover = handle.createUpdate("UPDATE content_object SET deletion_id = :job WHERE environment_id = :env"
                + " AND deletion_id IS NULL AND expires_at > :now"
                + (memberId == null ? "" : " AND sender_member = :member"))
                .bind("job", jobId).bind("env", environmentId).bind("now", now.toEpochMilli());
        if (memberId != null) {
            cover.bind("member", memberId);
        }
        cover.execute();
        handle.createUpdate("INSERT INTO content_deletion (id, environment_id, scope, member_id, objects, bytes,"
                + " erased, requested_at) SELECT :job, :env, :scope, :member, COUNT(*), COALESCE(SUM(size), 0), 0, :now"
                + " FROM content_object WHERE deletion_id = :job")
                .bind("job", jobId).bind("env", environmentId).bind("scope", scope.name()).bind("member", memberId)
                .bind("now", now.toEpochMilli())
                .execute();
        return find(handle, environmentId, jobId).orElseThrow();
    }

    static Optional<DeletionJob> find(Handle handle, String environmentId, String jobId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM content_deletion WHERE id = :job"
                + " AND environment_id = :env")
                .bind("job", jobId).bind("env", environmentId)
                .map((rs, ctx) -> job(rs)).findOne();
    }

    /** The jobs still erasing, oldest first. */
    static List<DeletionJob> running(Handle handle) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM content_deletion WHERE completed_at IS NULL"
                + " ORDER BY requested_at")
                .map((rs, ctx) -> job(rs)).list();
    }

    /** Up to {@code limit} of the objects the job covers that are not erased yet, in storage order. */
    static List<Long> covered(Handle handle, String jobId, int limit) {
        return handle.createQuery("SELECT seq FROM content_object WHERE deletion_id = :job ORDER BY seq LIMIT :limit")
                .bind("job", jobId).bind("limit", limit)
                .mapTo(Long.class).list();
    }

    static void progressed(Handle handle, String jobId, int erased) {
        handle.createUpdate("UPDATE content_deletion SET erased = erased + :erased WHERE id = :job")
                .bind("erased", erased).bind("job", jobId).execute();
    }

    /**
     * Completes the job with the audit record that seals it. Its count of erased objects becomes the
     * covered count: objects that went with their environment's erasure meanwhile are erased too.
     */
    static void completed(Handle handle, String jobId, AuditRecord seal) {
        handle.createUpdate("UPDATE content_deletion SET completed_at = :at, erased = objects,"
                + " audit_sequence = :sequence, audit_hash = :hash WHERE id = :job")
                .bind("at", seal.recordedAt().toEpochMilli()).bind("sequence", seal.sequence())
                .bind("hash", seal.hash()).bind("job", jobId)
                .execute();
    }

    private static DeletionJob job(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        String environmentId = rs.getString("environment_id");
        DeletionScope scope = DeletionScope.valueOf(rs.getString("scope"));
        String memberId = rs.getString("member_id");
        long objects = rs.getLong("objects");
        long bytes = rs.getLong("bytes");
        Instant requestedAt = Instant.ofEpochMilli(rs.getLong("requested_at"));
        long completed = rs.getLong("completed_at");
        if (rs.wasNull()) {
            return new DeletionJob(id, environmentId, scope, memberId, DeletionJob.State.RUNNING, objects, bytes,
                    rs.getLong("erased"), requestedAt, null, null);
        }
        Instant completedAt = Instant.ofEpochMilli(completed);
        return new DeletionJob(id, environmentId, scope, memberId, DeletionJob.State.COMPLETED, objects, bytes,
                rs.getLong("erased"), requestedAt, completedAt, new DeletionReceipt(id, environmentId, scope, memberId,
                        objects, bytes, requestedAt, completedAt, rs.getLong("audit_sequence"),
                        rs.getString("audit_hash")));
    }
}
