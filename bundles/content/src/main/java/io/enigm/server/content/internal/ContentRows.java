package io.enigm.server.content.internal;

import java.io.ByteArrayInputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jdbi.v3.core.Handle;

import io.enigm.server.content.ContentObject;
import io.enigm.server.content.ContentStatistics;
import io.enigm.server.environment.Surface;

/**
 * The SQL of {@code content_object} and {@code content_recipient}. Every read names the time: an
 * object whose expiry has passed is in no answer, whether or not the sweeper has erased it yet; nor
 * is one a deletion job covers, whether or not the job has erased it yet.
 */
final class ContentRows {

    private static final String COLUMNS = "o.seq, o.id, o.environment_id, o.sender_member, o.surface, o.size, o.etag,"
            + " o.created_at, o.expires_at, o.for_everyone";
    /** What a member may see: what it sent, what is for it, and what is for everyone. */
    private static final String VISIBLE = "(o.sender_member = :member OR o.for_everyone = 1 OR EXISTS (SELECT 1"
            + " FROM content_recipient r WHERE r.object_seq = o.seq AND r.member_id = :member))";

    /** Not covered by a deletion job. */
    private static final String KEPT = "o.deletion_id IS NULL";

    private ContentRows() {
    }

    /** A stored object: its metadata, where its bytes are, and its place in the environment's order. */
    record Row(long seq, ContentObject object, byte[] inline) {

        boolean isInline() {
            return inline != null;
        }

        ByteArrayInputStream inlineFrom(long offset) {
            return new ByteArrayInputStream(inline, (int) offset, inline.length - (int) offset);
        }
    }

    /** Inserts an object and its recipients; answers its place in the environment's order. */
    static long insert(Handle handle, ContentObject object, String senderDevice, byte[] inline) {
        // RETURNING (SQLite and PostgreSQL alike) answers the new row's seq without a second statement
        long seq = handle.createQuery("INSERT INTO content_object (id, environment_id, sender_member, sender_device,"
                + " surface, size, etag, created_at, expires_at, for_everyone, inline_bytes) VALUES (:id, :env,"
                + " :member, :device, :surface, :size, :etag, :created, :expires, :everyone, :inline) RETURNING seq")
                .bind("id", object.id()).bind("env", object.environmentId()).bind("member", object.senderMemberId())
                .bind("device", senderDevice).bind("surface", object.surface().name()).bind("size", object.size())
                .bind("etag", object.etag()).bind("created", object.createdAt().toEpochMilli())
                .bind("expires", object.expiresAt().toEpochMilli())
                .bind("everyone", object.recipients().isEmpty() ? 1 : 0) // an integer column on both engines
                .bind("inline", inline)
                .mapTo(Long.class).one();
        if (!object.recipients().isEmpty()) {
            var batch = handle.prepareBatch("INSERT INTO content_recipient (object_seq, member_id) VALUES (:seq, :member)");
            for (String member : object.recipients()) {
                batch.bind("seq", seq).bind("member", member).add();
            }
            batch.execute();
        }
        return seq;
    }

    /** The unexpired object of the environment that {@code member} may see, with its bytes if inline. */
    static Optional<Row> visible(Handle handle, String environmentId, String id, String member, long now) {
        return handle.createQuery("SELECT " + COLUMNS + ", o.inline_bytes FROM content_object o WHERE o.id = :id"
                + " AND o.environment_id = :env AND o.expires_at > :now AND " + KEPT + " AND " + VISIBLE)
                .bind("id", id).bind("env", environmentId).bind("now", now).bind("member", member)
                .map((rs, ctx) -> row(rs, rs.getBytes("inline_bytes"))).findOne()
                .map(row -> withRecipients(handle, List.of(row)).get(0));
    }

    /** The unexpired object of the environment, whoever sent it. */
    static Optional<Row> find(Handle handle, String environmentId, String id, long now) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM content_object o WHERE o.id = :id"
                + " AND o.environment_id = :env AND o.expires_at > :now AND " + KEPT)
                .bind("id", id).bind("env", environmentId).bind("now", now)
                .map((rs, ctx) -> row(rs, null)).findOne();
    }

    /** What {@code member} may see of what was stored after {@code since}, in storage order. */
    static List<Row> feed(Handle handle, String environmentId, String member, long since, int limit, long now) {
        List<Row> rows = handle.createQuery("SELECT " + COLUMNS + " FROM content_object o WHERE o.environment_id = :env"
                + " AND o.seq > :since AND o.expires_at > :now AND " + KEPT + " AND " + VISIBLE
                + " ORDER BY o.seq LIMIT :limit")
                .bind("env", environmentId).bind("since", since).bind("now", now).bind("member", member)
                .bind("limit", limit)
                .map((rs, ctx) -> row(rs, null)).list();
        return withRecipients(handle, rows);
    }

    /**
     * The unexpired objects among {@code seqs} that no deletion job covers, whoever may see them, in
     * storage order: what was just stored, for the followers of every node.
     */
    static List<Row> stored(Handle handle, List<Long> seqs, long now) {
        List<Row> rows = handle.createQuery("SELECT " + COLUMNS + " FROM content_object o WHERE o.seq IN (<seqs>)"
                + " AND o.expires_at > :now AND " + KEPT + " ORDER BY o.seq")
                .bindList("seqs", seqs).bind("now", now)
                .map((rs, ctx) -> row(rs, null)).list();
        return withRecipients(handle, rows);
    }

    /** The environment's last place in storage order so far: a cursor for "from now on". */
    static long latest(Handle handle, String environmentId) {
        return handle.createQuery("SELECT COALESCE(MAX(seq), 0) FROM content_object WHERE environment_id = :env")
                .bind("env", environmentId).mapTo(Long.class).one();
    }

    /** A stored object about to be erased: its place, and the blob file it has unless its bytes are inline. */
    record Erasable(long seq, String id, boolean inline) {
    }

    /** The objects among {@code seqs} that are stored. */
    static List<Erasable> erasable(Handle handle, List<Long> seqs) {
        return handle.createQuery("SELECT seq, id, inline_bytes IS NOT NULL AS inline FROM content_object"
                + " WHERE seq IN (<seqs>)").bindList("seqs", seqs)
                .map((rs, ctx) -> new Erasable(rs.getLong("seq"), rs.getString("id"), rs.getBoolean("inline")))
                .list();
    }

    /** Deletes the objects among {@code seqs} and their recipients. */
    static void delete(Handle handle, List<Long> seqs) {
        handle.createUpdate("DELETE FROM content_recipient WHERE object_seq IN (<seqs>)").bindList("seqs", seqs)
                .execute();
        handle.createUpdate("DELETE FROM content_object WHERE seq IN (<seqs>)").bindList("seqs", seqs).execute();
    }

    /** An expired object awaiting erasure. */
    record Expired(long seq, String environmentId) {
    }

    /**
     * Up to {@code limit} expired objects, soonest expired first, that no legal hold covers now: not
     * one on their environment, nor one on their sender. Those a deletion job covers are its to erase.
     */
    static List<Expired> expired(Handle handle, long now, int limit) {
        return handle.createQuery("SELECT seq, environment_id FROM content_object c WHERE expires_at <= :now"
                + " AND deletion_id IS NULL AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.environment_id ="
                + " c.environment_id AND (h.member_id IS NULL OR h.member_id = c.sender_member)"
                + " AND (h.ends_at IS NULL OR h.ends_at > :now)) ORDER BY expires_at LIMIT :limit")
                .bind("now", now).bind("limit", limit)
                .map((rs, ctx) -> new Expired(rs.getLong("seq"), rs.getString("environment_id")))
                .list();
    }

    /** Which of {@code ids} name stored objects. */
    static Set<String> existing(Handle handle, Collection<String> ids) {
        return new HashSet<>(handle.createQuery("SELECT id FROM content_object WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids)).mapTo(String.class).list());
    }

    /** Counts, sizes and dates of the environment's unexpired objects, in total and per sender. */
    static ContentStatistics statistics(Handle handle, String environmentId, long now) {
        List<ContentStatistics.MemberUsage> bySender = handle.createQuery("SELECT sender_member, COUNT(*) AS objects,"
                + " COALESCE(SUM(size), 0) AS bytes, MIN(created_at) AS oldest, MAX(created_at) AS newest"
                + " FROM content_object o WHERE environment_id = :env AND expires_at > :now AND " + KEPT
                + " GROUP BY sender_member"
                + " ORDER BY bytes DESC, sender_member")
                .bind("env", environmentId).bind("now", now)
                .map((rs, ctx) -> new ContentStatistics.MemberUsage(rs.getString("sender_member"), usage(rs)))
                .list();
        long objects = bySender.stream().mapToLong(member -> member.usage().objects()).sum();
        long bytes = bySender.stream().mapToLong(member -> member.usage().bytes()).sum();
        Instant oldest = bySender.stream().map(member -> member.usage().oldest()).min(Instant::compareTo).orElse(null);
        Instant newest = bySender.stream().map(member -> member.usage().newest()).max(Instant::compareTo).orElse(null);
        return new ContentStatistics(environmentId, new ContentStatistics.Usage(objects, bytes, oldest, newest),
                bySender);
    }

    private static ContentStatistics.Usage usage(ResultSet rs) throws SQLException {
        return new ContentStatistics.Usage(rs.getLong("objects"), rs.getLong("bytes"),
                Instant.ofEpochMilli(rs.getLong("oldest")), Instant.ofEpochMilli(rs.getLong("newest")));
    }

    private static Row row(ResultSet rs, byte[] inline) throws SQLException {
        return new Row(rs.getLong("seq"), new ContentObject(rs.getString("id"), rs.getString("environment_id"),
                rs.getString("sender_member"), Surface.valueOf(rs.getString("surface")), Set.of(), rs.getLong("size"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("expires_at")),
                rs.getString("etag")), inline);
    }

    /** The rows with their recipients, read in one query. */
    private static List<Row> withRecipients(Handle handle, List<Row> rows) {
        if (rows.isEmpty()) {
            return rows;
        }
        Map<Long, Set<String>> recipients = new LinkedHashMap<>();
        handle.createQuery("SELECT object_seq, member_id FROM content_recipient WHERE object_seq IN (<seqs>)")
                .bindList("seqs", rows.stream().map(Row::seq).toList())
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(entry -> recipients.computeIfAbsent(entry.getKey(), seq -> new HashSet<>())
                        .add(entry.getValue()));
        return rows.stream().map(row -> {
            ContentObject o = row.object();
            return new Row(row.seq(), new ContentObject(o.id(), o.environmentId(), o.senderMemberId(), o.surface(),
                    recipients.getOrDefault(row.seq(), Set.of()), o.size(), o.createdAt(), o.expiresAt(), o.etag()),
                    row.inline());
        }).toList();
    }
}
