package io.enigm.server.http.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.content.ContentAdministration;
import io.enigm.server.content.ContentDeletions;
import io.enigm.server.content.ContentFeed;
import io.enigm.server.content.ContentObject;
import io.enigm.server.content.ContentRead;
import io.enigm.server.content.ContentStatistics;
import io.enigm.server.content.ContentUpload;
import io.enigm.server.content.DeletionJob;
import io.enigm.server.content.DeletionReceipt;
import io.enigm.server.content.DeletionScope;
import io.enigm.server.content.MemberContent;
import io.enigm.server.environment.Surface;
import io.enigm.server.http.internal.Route.Operation;

/**
 * Encrypted content. A member's device calls with its session token, which the content service
 * proves and the policy decides on; administrators see only counts and sizes, and may delete one
 * object or start a deletion job for a member's or all content (the latter confirmed with the
 * critical-operation PIN). Bytes pass through unchanged in both directions, streamed.
 */
final class ContentRoutes {

    static final String SURFACE_HEADER = "X-Enigm-Surface";
    static final String RECIPIENTS_HEADER = "X-Enigm-Recipients";
    static final String LIFETIME_HEADER = "X-Enigm-Lifetime";

    private static final AdminRole[] CONTENT_ADMINS = {AdminRole.OWNER, AdminRole.ADMINISTRATOR,
        AdminRole.CONTENT_ADMIN};

    private final MemberContent content;
    private final ContentAdministration administration;
    private final ContentDeletions deletions;

    ContentRoutes(MemberContent content, ContentAdministration administration, ContentDeletions deletions) {
        this.content = content;
        this.administration = administration;
        this.deletions = deletions;
    }

    record ContentReceiptView(String id, String expiresAt, boolean lifetimeClamped) {
    }

    record ContentObjectView(String id, String senderMemberId, String surface, List<String> recipients, long size,
            String createdAt, String expiresAt, String etag) {

        static ContentObjectView of(ContentObject object) {
            return new ContentObjectView(object.id(), object.senderMemberId(), object.surface().name(),
                    object.recipients().stream().sorted().toList(), object.size(), object.createdAt().toString(),
                    object.expiresAt().toString(), object.etag());
        }
    }

    record ContentFeedView(List<ContentObjectView> items, String cursor) {

        static ContentFeedView of(ContentFeed feed) {
            return new ContentFeedView(feed.items().stream().map(ContentObjectView::of).toList(), feed.cursor());
        }
    }

    /** Counts, sizes and dates: never bytes, never recipients. */
    record UsageView(String memberId, long objects, long bytes, String oldest, String newest) {

        static UsageView of(String memberId, ContentStatistics.Usage usage) {
            return new UsageView(memberId, usage.objects(), usage.bytes(),
                    usage.oldest() == null ? null : usage.oldest().toString(),
                    usage.newest() == null ? null : usage.newest().toString());
        }
    }

    record ContentStatisticsView(String environmentId, UsageView total, List<UsageView> bySender) {

        static ContentStatisticsView of(ContentStatistics statistics) {
            return new ContentStatisticsView(statistics.environmentId(), UsageView.of(null, statistics.total()),
                    statistics.bySender().stream().map(member -> UsageView.of(member.memberId(), member.usage()))
                            .toList());
        }
    }

    /** {@code POST …/content/deletions}. */
    record StartDeletion(String scope, String memberId) {

        DeletionScope deletionScope() {
            if (scope == null) {
                throw new InvalidRequestException("scope", "is required: MEMBER or ALL");
            }
            for (DeletionScope candidate : DeletionScope.values()) {
                if (candidate.name().equals(scope)) {
                    return candidate;
                }
            }
            throw new InvalidRequestException("scope", "must be MEMBER or ALL");
        }
    }

    /** Scope, counts and times, sealed by the audit record's sequence and hash: never what was deleted. */
    record DeletionReceiptView(String jobId, String environmentId, String scope, String memberId, long objects,
            long bytes, String requestedAt, String completedAt, long auditSequence, String auditHash) {

        static DeletionReceiptView of(DeletionReceipt receipt) {
            return receipt == null ? null : new DeletionReceiptView(receipt.jobId(), receipt.environmentId(),
                    receipt.scope().name(), receipt.memberId(), receipt.objects(), receipt.bytes(),
                    receipt.requestedAt().toString(), receipt.completedAt().toString(), receipt.auditSequence(),
                    receipt.auditHash());
        }
    }

    record DeletionJobView(String id, String environmentId, String scope, String memberId, String state,
            long objects, long bytes, long erased, String requestedAt, String completedAt,
            DeletionReceiptView receipt) {

        static DeletionJobView of(DeletionJob job) {
            return new DeletionJobView(job.id(), job.environmentId(), job.scope().name(), job.memberId(),
                    job.state().name(), job.objects(), job.bytes(), job.erased(), job.requestedAt().toString(),
                    job.completedAt() == null ? null : job.completedAt().toString(),
                    DeletionReceiptView.of(job.receipt()));
        }
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/environments/{env}/content", "content.upload",
                        Access.provenBy(CallerProof.SESSION_TOKEN),
                        new Operation("Upload an encrypted object, streamed, on a surface and for recipients",
                                "ContentBytes", 201, "ContentReceipt",
                                List.of(SURFACE_HEADER, RECIPIENTS_HEADER, LIFETIME_HEADER), ApiJson.MEDIA_TYPE,
                                Operation.BYTES),
                        this::upload).idempotent(Route.Idempotency.BY_SERVICE),
                new Route("GET", "/environments/{env}/content", "content.list",
                        Access.provenBy(CallerProof.SESSION_TOKEN),
                        new Operation("What is new for the calling member since a cursor", null, 200, "ContentFeed",
                                List.of("since", "limit")),
                        this::list),
                new Route("GET", "/environments/{env}/content/{content}", "content.read",
                        Access.provenBy(CallerProof.SESSION_TOKEN),
                        new Operation("An object's bytes, unchanged, whole or one range", null, 200, "ContentBytes",
                                List.of("If-None-Match", "Range"), Operation.BYTES),
                        this::read),
                new Route("DELETE", "/environments/{env}/content/{content}", "content.delete",
                        Access.environment(CONTENT_ADMINS).orSession(),
                        new Operation("Delete an object: its sender's session, or a content administrator", null,
                                204, null, List.of()),
                        this::delete),
                new Route("GET", "/environments/{env}/content/events", "content.follow",
                        Access.provenBy(CallerProof.SESSION_TOKEN),
                        new Operation("Follow the ids of new objects as server-sent events, resumable by Last-Event-ID",
                                null, 200, "ContentEvents", List.of("Last-Event-ID", "since"), EventStream.MEDIA_TYPE),
                        this::follow),
                new Route("GET", "/environments/{env}/content/stats", "content.stats",
                        Access.environment(CONTENT_ADMINS),
                        new Operation("How much content the environment holds: counts, sizes and dates, per sender",
                                null, 200, "ContentStatistics", List.of()),
                        call -> Reply.ok(ContentStatisticsView.of(administration.statistics(call.path("env"))))),
                new Route("POST", "/environments/{env}/content/deletions", "content.deletion.start",
                        Access.environment(CONTENT_ADMINS),
                        new Operation("Delete one member's content or all of the environment's: it vanishes at"
                                + " once and a job erases it; scope ALL needs the critical-operation PIN in"
                                + " X-Enigm-Confirm; refused with 409 under a legal hold", "StartDeletion", 201,
                                "DeletionJob", List.of(Route.CONFIRM_HEADER)),
                        this::startDeletion).idempotent(Route.Idempotency.REPLAY),
                new Route("GET", "/environments/{env}/content/deletions/{job}", "content.deletion.get",
                        Access.environment(CONTENT_ADMINS),
                        new Operation("A deletion job's progress and, once completed, its deletion receipt", null,
                                200, "DeletionJob", List.of()),
                        call -> Reply.ok(DeletionJobView.of(deletions.get(call.path("env"), call.path("job"))))));
    }

    private Reply startDeletion(Call call) {
        StartDeletion request = call.body(StartDeletion.class);
        String environmentId = call.path("env");
        DeletionJob job = deletions.start(environmentId, request.deletionScope(), request.memberId(),
                call.header(Route.CONFIRM_HEADER));
        call.target(job.id());
        return Reply.created("/environments/" + environmentId + "/content/deletions/" + job.id(),
                DeletionJobView.of(job));
    }

    private Reply upload(Call call) {
        String environmentId = call.path("env");
        ContentUpload upload = new ContentUpload(surface(SURFACE_HEADER, call.header(SURFACE_HEADER)),
                recipients(call.header(RECIPIENTS_HEADER)), lifetime(call.header(LIFETIME_HEADER)),
                IdempotentCreations.key(call));
        return Reply.whenDurable(content.upload(call.bearerToken(), environmentId, upload, call.bodyStream())
                .thenApply(receipt -> Reply.created("/environments/" + environmentId + "/content/" + receipt.id(),
                        new ContentReceiptView(receipt.id(), receipt.expiresAt().toString(),
                                receipt.lifetimeClamped()))));
    }

    private Reply list(Call call) {
        return Reply.ok(ContentFeedView.of(content.list(call.bearerToken(), call.path("env"), call.query("since"),
                call.page().limit())));
    }

    private Reply read(Call call) {
        ContentRead read = content.read(call.bearerToken(), call.path("env"), call.path("content"));
        ContentObject object = read.object();
        String etag = "\"" + object.etag() + "\"";
        String match = call.header("If-None-Match");
        if (match != null && (match.strip().equals("*") || Arrays.stream(match.split(","))
                .anyMatch(tag -> tag.strip().equals(etag)))) {
            return new Reply(304, new StreamedBytes(0, Map.of("ETag", etag), null), null);
        }
        ByteRange range = ByteRange.of(call.header("Range"), object.size());
        if (range == null) {
            return Reply.ok(new StreamedBytes(object.size(), Map.of("ETag", etag, "Accept-Ranges", "bytes"),
                    () -> read.open(0)));
        }
        return new Reply(206, new StreamedBytes(range.length(), Map.of("ETag", etag, "Accept-Ranges", "bytes",
                "Content-Range", range.contentRange(object.size())), () -> read.open(range.first())), null);
    }

    private Reply follow(Call call) {
        String lastEventId = call.header("Last-Event-ID");
        EventStream stream = new EventStream();
        stream.follow(content.follow(call.bearerToken(), call.path("env"),
                lastEventId != null ? lastEventId.strip() : call.query("since"), stream));
        return Reply.ok(stream);
    }

    private Reply delete(Call call) {
        if (call.principal() != null) {
            administration.delete(call.path("env"), call.path("content"));
        } else {
            content.delete(call.bearerToken(), call.path("env"), call.path("content"));
        }
        return Reply.noContent();
    }

    /** A surface named in upper case, as the API writes it; anything else is a 422 naming the field. */
    static Surface surface(String field, String name) {
        if (name == null) {
            throw new InvalidRequestException(field, "is required: MESSAGES, ATTACHMENTS, MEDIA or CALLS");
        }
        for (Surface surface : Surface.values()) {
            if (surface.name().equals(name.strip())) {
                return surface;
            }
        }
        throw new InvalidRequestException(field, "must be MESSAGES, ATTACHMENTS, MEDIA or CALLS");
    }

    private static Set<String> recipients(String header) {
        Set<String> recipients = new LinkedHashSet<>();
        if (header != null) {
            for (String member : header.split(",")) {
                if (member.isBlank()) {
                    throw new InvalidRequestException(RECIPIENTS_HEADER, "must list member ids separated by commas");
                }
                recipients.add(member.strip());
            }
        }
        return recipients;
    }

    private static Duration lifetime(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(LIFETIME_HEADER, "must be a whole number of seconds");
        }
    }
}
