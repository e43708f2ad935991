package io.enigm.server.content.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.content.ContentAdministration;
import io.enigm.server.content.ContentFeed;
import io.enigm.server.content.ContentListener;
import io.enigm.server.content.ContentObject;
import io.enigm.server.content.ContentRead;
import io.enigm.server.content.ContentReceipt;
import io.enigm.server.content.ContentStatistics;
import io.enigm.server.content.ContentSubscription;
import io.enigm.server.content.ContentUpload;
import io.enigm.server.content.MemberContent;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.environment.Surface;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.Members;
import io.enigm.server.membership.SessionPrincipal;
import io.enigm.server.membership.SessionTokens;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.support.ids.TimeOrderedIds;
import io.enigm.server.work.IdempotentAnswers;

/**
 * Encrypted objects, stored and delivered. Every member action is the session's device's, decided
 * by the environment's policy with the object's surface as the resource category. An upload
 * streams: it is read to its end before its row is written (inline in memory up to the inline
 * limit, otherwise stored durably under the object's id as it arrives, see {@link Blobs}), and then
 * its row and audit record commit together on the store's writer. The server never looks inside
 * the bytes.
 */
@Component(service = {MemberContent.class, ContentAdministration.class},
        configurationPid = ContentConfiguration.PID)
@Designate(ocd = ContentConfiguration.class)
public class StoredContent implements MemberContent, ContentAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(StoredContent.class);
    /** More recipients than a group call or message needs would only inflate rows. */
    static final int MAX_RECIPIENTS = 256;

    private final Database database;
    private final SessionTokens sessions;
    private final EnvironmentService environments;
    private final LegalHolds holds;
    private final Members members;
    private final AuditLog audit;
    private final Blobs blobs;
    private final ContentErasure erasure;
    private final ContentLimits limits;
    private final Lifetimes lifetimes;
    private final Clock clock;
    private final ContentEvents events;
    private final IdempotentUploads uploads;
    /** On a database shared by nodes: how followers on every node learn what was stored. */
    private final StoredAnnouncements announcements;

    @Activate
    public StoredContent(@Reference Database database, @Reference DataHome home, @Reference SessionTokens sessions,
            @Reference EnvironmentService environments, @Reference LegalHolds holds, @Reference Members members,
            @Reference AuditLog audit, @Reference IdempotentAnswers answers, ContentConfiguration configuration)
            throws IOException {
        this(database, Blobs.of(database, home), sessions, environments, holds, members, audit, answers,
                ContentLimits.of(configuration), Clock.systemUTC());
        int removed = blobs.removeLeftovers(ids -> database.read(handle -> ContentRows.existing(handle, ids)));
        LOG.info("Content: objects up to {} bytes, up to {} bytes inline, larger ones in {}, call set-up up to {} s;"
                + " {} leftovers removed", limits.maxObjectBytes(), limits.inlineLimitBytes(),
                database.sharedByNodes() ? "the database" : "files", limits.callsMaxLifetime().toSeconds(), removed);
    }

    StoredContent(Database database, Blobs blobs, SessionTokens sessions, EnvironmentService environments,
            LegalHolds holds, Members members, AuditLog audit, IdempotentAnswers answers, ContentLimits limits,
            Clock clock) {
        this.database = database;
        this.blobs = blobs;
        this.erasure = new ContentErasure(blobs);
        this.sessions = sessions;
        this.environments = environments;
        this.holds = holds;
        this.members = members;
        this.audit = audit;
        this.limits = limits;
        this.lifetimes = new Lifetimes(limits.callsMaxLifetime());
        this.clock = clock;
        this.uploads = new IdempotentUploads(answers);
        this.events = new ContentEvents((follower, seq, limit) -> database.read(handle -> ContentRows.feed(handle,
                follower.environmentId(), follower.memberId(), seq, limit, clock.millis())),
                follower -> sessions.authenticate(follower.token()).isPresent(), limits.followerHeartbeat());
        this.announcements = database.sharedByNodes() ? new StoredAnnouncements(database, events,
                seqs -> database.read(handle -> ContentRows.stored(handle, seqs, clock.millis()))) : null;
    }

    @Deactivate
    void stop() throws Exception {
        if (announcements != null) {
            announcements.close();
        }
        events.close();
    }

    @Override
    public CompletableFuture<ContentReceipt> upload(String token, String environmentId, ContentUpload upload,
            InputStream ciphertext) {
        if (upload.surface() == null) {
            throw new InvalidRequestException("surface", "is required");
        }
        SessionPrincipal device = sessions.authorize(token, environmentId, AccessAction.UPLOAD_CONTENT,
                category(upload.surface()));
        Environment environment = environments.get(environmentId);
        if (environment.state() != EnvironmentState.ACTIVE) {
            throw new ConflictException("the environment is " + environment.state() + " and takes no new content");
        }
        if (!environment.surfaces().contains(upload.surface())) {
            throw new ForbiddenException("the surface " + upload.surface() + " is disabled in this environment");
        }
        requireRecipients(environmentId, upload.recipients());
        Lifetimes.Granted lifetime = lifetimes.grant(environment, upload.surface(), upload.requestedLifetime());
        String id = TimeOrderedIds.next();
        Received received = blobs.receive(id, ciphertext, limits.inlineLimitBytes(), limits.maxObjectBytes());
        Instant now = clock.instant();
        ContentObject object = new ContentObject(id, environmentId, device.memberId(), upload.surface(),
                upload.recipients(), received.size(), now, now.plus(lifetime.lifetime()), received.etag());
        byte[] inline = received instanceof Received.Inline small ? small.bytes() : null;
        boolean keyed = upload.idempotencyKey() != null;
        return database.submit(handle -> {
            Optional<ContentReceipt> first = keyed
                    ? uploads.recall(device.deviceId(), environmentId, upload, received.etag()) : Optional.empty();
            ContentReceipt receipt = first.orElseGet(() -> {
                if (inline == null) {
                    blobs.claim(handle, id);
                }
                long seq = ContentRows.insert(handle, object, device.deviceId(), inline);
                announce(object, seq);
                return new ContentReceipt(id, object.expiresAt(), lifetime.clamped());
            });
            if (keyed && first.isEmpty()) {
                uploads.remember(device.deviceId(), environmentId, upload, received.etag(), receipt);
            } else if (first.isPresent() && inline == null) {
                // a retry's bytes are the first's: its own go with this transaction
                blobs.claim(handle, id);
                blobs.erase(handle, List.of(id));
            }
            audit.append(new AuditEntry(device.deviceId(), "DEVICE", environmentId, "content.upload", receipt.id(),
                    AuditOutcome.ALLOWED, null));
            return receipt;
        }).whenComplete((receipt, failure) -> {
            if (failure != null && inline == null) {
                blobs.discard(id);
            }
        });
    }

    /**
     * Hands a new object to its followers once it is durable: through every node's announcements on a
     * database shared by nodes, otherwise straight from the writer, which has it in hand.
     */
    private void announce(ContentObject object, long seq) {
        if (announcements != null) {
            announcements.announce(object.environmentId(), seq);
        } else {
            database.afterCommit(() -> events.stored(object, seq));
        }
    }

    @Override
    public ContentRead read(String token, String environmentId, String objectId) {
        SessionPrincipal device = sessions.authenticate(token, environmentId);
        ContentRows.Row row = database.read(handle -> ContentRows.visible(handle, environmentId, objectId,
                device.memberId(), clock.millis())).orElseThrow(() -> new NotFoundException("content"));
        sessions.authorize(token, environmentId, AccessAction.READ_CONTENT, category(row.object().surface()));
        return new ContentRead() {
            @Override
            public ContentObject object() {
                return row.object();
            }

            @Override
            public InputStream open(long offset) throws IOException {
                if (offset < 0 || offset > row.object().size()) {
                    throw new IllegalArgumentException("offset outside the object");
                }
                return row.isInline() ? row.inlineFrom(offset)
                        : blobs.open(row.object().id(), offset, row.object().size());
            }
        };
    }

    @Override
    public ContentFeed list(String token, String environmentId, String since, int limit) {
        if (limit < 1 || limit > Page.MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be from 1 to " + Page.MAX_LIMIT);
        }
        long after = cursor(since);
        SessionPrincipal device = sessions.authenticate(token, environmentId);
        List<ContentRows.Row> rows = database.read(handle -> ContentRows.feed(handle, environmentId,
                device.memberId(), after, limit, clock.millis()));
        // Each surface on the page is decided once; what the policy refuses is left out.
        Set<Surface> readable = rows.stream().map(row -> row.object().surface()).distinct()
                .filter(surface -> mayRead(token, environmentId, surface)).collect(Collectors.toUnmodifiableSet());
        List<ContentObject> items = rows.stream().map(ContentRows.Row::object)
                .filter(object -> readable.contains(object.surface())).toList();
        String next = rows.isEmpty() ? Long.toString(after) : Long.toString(rows.get(rows.size() - 1).seq());
        return new ContentFeed(items, next);
    }

    @Override
    public ContentSubscription follow(String token, String environmentId, String since, ContentListener listener) {
        long requested = since == null ? -1 : cursor(since);
        SessionPrincipal device = sessions.authenticate(token, environmentId);
        // "from now on" becomes a cursor too, so that a follower can catch up from it after a gap
        long after = requested >= 0 ? requested
                : database.read(handle -> ContentRows.latest(handle, environmentId));
        // Decided once per surface as the device starts following; its session is checked at every beat.
        Set<Surface> readable = Surface.all().stream().filter(surface -> mayRead(token, environmentId, surface))
                .collect(Collectors.toUnmodifiableSet());
        return events.follow(new ContentEvents.Follower(environmentId, device.memberId(), readable, token), after,
                listener);
    }

    @Override
    public void delete(String token, String environmentId, String objectId) {
        SessionPrincipal device = sessions.authenticate(token, environmentId);
        ContentRows.Row row = database.read(handle -> ContentRows.find(handle, environmentId, objectId,
                clock.millis())).filter(found -> found.object().senderMemberId().equals(device.memberId()))
                .orElseThrow(() -> new NotFoundException("content"));
        sessions.authorize(token, environmentId, AccessAction.DELETE_CONTENT, category(row.object().surface()));
        erase(row, () -> audit.append(new AuditEntry(device.deviceId(), "DEVICE", environmentId, "content.delete",
                objectId, AuditOutcome.ALLOWED, null)));
    }

    @Override
    public ContentStatistics statistics(String environmentId) {
        environments.get(environmentId);
        return database.read(handle -> ContentRows.statistics(handle, environmentId, clock.millis()));
    }

    @Override
    public void delete(String environmentId, String objectId) {
        ContentRows.Row row = database.read(handle -> ContentRows.find(handle, environmentId, objectId,
                clock.millis())).orElseThrow(() -> new NotFoundException("content"));
        erase(row, () -> { });
    }

    /**
     * Deletes the row with its audit record, then its bytes once the deletion is durable; refused
     * while a legal hold covers the environment or the sender.
     */
    private void erase(ContentRows.Row row, Runnable audited) {
        holds.holdCovering(row.object().environmentId(), row.object().senderMemberId()).ifPresent(hold -> {
            throw new LegalHeldException(hold);
        });
        database.inTransaction(handle -> {
            if (erasure.erase(handle, List.of(row.seq())) == 0) {
                throw new NotFoundException("content");
            }
            audited.run();
            return null;
        });
    }

    private boolean mayRead(String token, String environmentId, Surface surface) {
        try {
            sessions.authorize(token, environmentId, AccessAction.READ_CONTENT, category(surface));
            return true;
        } catch (AccessDeniedException e) {
            return false;
        }
    }

    private void requireRecipients(String environmentId, Set<String> recipients) {
        if (recipients.size() > MAX_RECIPIENTS) {
            throw new InvalidRequestException("recipients", "must name at most " + MAX_RECIPIENTS + " members");
        }
        for (String member : recipients) {
            try {
                if (members.get(environmentId, member).state() == MemberState.REMOVED) {
                    throw new InvalidRequestException("recipients", "must name members of the environment");
                }
            } catch (NotFoundException e) {
                throw new InvalidRequestException("recipients", "must name members of the environment");
            }
        }
    }

    private static long cursor(String since) {
        if (since == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(since);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidRequestException("since", "must be a cursor from an earlier answer");
    }

    /** The policy's resource category of a surface: its name in lower case. */
    static String category(Surface surface) {
        return surface.name().toLowerCase(Locale.ROOT);
    }
}
