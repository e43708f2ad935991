package io.enigm.server.membership.internal;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.common.Keyset;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.environment.EnrollmentTrust;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.membership.JoinReceipt;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinRequestState;
import io.enigm.server.membership.JoinRequests;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.privacy.IdentifierKind;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeysetCondition;
import io.enigm.server.support.ids.TimeOrderedIds;

/**
 * Join requests in the {@code join_request} table. The raw account handle is never stored, the
 * display name only while pending, the raw device key only while the device may still follow its
 * request with signatures.
 */
@Component(service = JoinRequests.class, configurationPid = MembershipConfiguration.PID)
@Designate(ocd = MembershipConfiguration.class)
public class PersistentJoinRequests implements JoinRequests {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentJoinRequests.class);
    private static final Duration QUEUE_RETRY = Duration.ofMinutes(5);

    private final Database database;
    private final EnvironmentGate gate;
    private final Pseudonyms pseudonyms;
    private final AuditLog audit;
    private final Configured configuration;
    private final SecurityEventRecorder events;
    private final Clock clock;
    /** The minute each environment's last join flood was recorded in: one event a minute, not one per refusal. */
    private final Map<String, Long> floodRecorded = new ConcurrentHashMap<>();

    @Activate
    public PersistentJoinRequests(@Reference Database database, @Reference EnvironmentService environments,
            @Reference Pseudonyms pseudonyms, @Reference AuditLog audit, @Reference SecurityEventRecorder events,
            MembershipConfiguration configuration) {
        this(database, environments, pseudonyms, audit, events, Configured.of(configuration), Clock.systemUTC());
        LOG.info("Join requests expire after {}, at most {} pending per environment, answered after at least {}",
                this.configuration.joinRequestTtl(), this.configuration.maxPendingJoinRequests(),
                this.configuration.joinAnswerFloor());
    }

    PersistentJoinRequests(Database database, EnvironmentService environments, Pseudonyms pseudonyms,
            AuditLog audit, SecurityEventRecorder events, Configured configuration, Clock clock) {
        this.database = database;
        this.gate = new EnvironmentGate(environments);
        this.pseudonyms = pseudonyms;
        this.audit = audit;
        this.configuration = configuration;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Who a pending request stands for, and the live member its account already is ({@code null}
     * for an account that is not a member), as read in the approving transaction.
     */
    private record Applicant(String accountHandle, String keyHandle, byte[] publicKey, String displayName,
            String liveMember) {
    }

    /** The member and device an approval made or found. */
    private record Approval(String memberId, String deviceId) {
    }

    /** A submission whose fields passed their rules. */
    private record Checked(String serverId, String account, byte[] key, String displayName, String inviteCode) {

        static Checked of(JoinSubmission submission) {
            return new Checked(Text.required("serverId", submission.serverId(), 64),
                    Text.required("accountHandle", submission.accountHandle(), JoinSubmission.MAX_ACCOUNT_HANDLE_LENGTH),
                    DeviceKeys.parse("devicePublicKey", submission.devicePublicKey()),
                    Text.optional("displayName", submission.displayName(), JoinSubmission.MAX_DISPLAY_NAME_LENGTH),
                    Text.optional("inviteCode", submission.inviteCode(), 64));
        }
    }

    @Override
    public CompletableFuture<JoinReceipt> submit(JoinSubmission submission) {
        long started = System.nanoTime();
        Checked checked = Checked.of(submission);
        String freshId = TimeOrderedIds.next();
        CompletableFuture<JoinReceipt> receipt;
        try {
            receipt = activeByServerId(checked.serverId())
                    .map(environment -> file(environment, checked, freshId))
                    .orElseGet(() -> CompletableFuture.completedFuture(unknown(freshId)));
        } catch (RuntimeException e) {
            receipt = CompletableFuture.failedFuture(e);
        }
        return AnswerFloor.hold(configuration.joinAnswerFloor(), receipt, started);
    }

    /** Where a submission ended up. */
    private record Filed(String id, JoinRequestState state) {
    }

    /**
     * The answer for an unknown server ID: the same shape as a real one, and nothing stored. Its code
     * and fingerprint are random, which the requester cannot tell from a real one's, since those are
     * derived under the environment's secret key.
     */
    private static JoinReceipt unknown(String id) {
        return new JoinReceipt(id, JoinRequestState.PENDING, DeviceKeys.codeText(ByteBuffer.wrap(Randoms.bytes(8))
                .getLong()), DeviceKeys.fingerprintText(Randoms.bytes(8)));
    }

    /**
     * Files a submission to an environment that was active a moment ago. The keyed hashes, and the
     * code and fingerprint of a new request, are computed first, off the database's one writer
     * thread; the transaction checks the state again.
     */
    private CompletableFuture<JoinReceipt> file(Environment environment, Checked submission, String freshId) {
        String environmentId = environment.id();
        String accountHandle;
        String keyHandle;
        try {
            accountHandle = pseudonyms.handle(environmentId, IdentifierKind.ACCOUNT, submission.account());
            keyHandle = pseudonyms.handle(environmentId, IdentifierKind.DEVICE_KEY, DeviceKeys.text(submission.key()));
        } catch (NotFoundException deletedMeanwhile) {
            return CompletableFuture.completedFuture(unknown(freshId));
        }
        String fingerprint = DeviceKeys.fingerprint(keyHandle);
        String freshCode = DeviceKeys.verificationCode(keyHandle, freshId);
        return database.submit(handle -> {
            Environment current = gate.readable(environmentId);
            if (current.state() != EnvironmentState.ACTIVE) {
                return unknown(freshId);
            }
            Filed filed = file(handle, current, submission, accountHandle, keyHandle, freshId);
            // a retry answers with the pending request it repeats, whose id is not the fresh one
            String code = filed.id().equals(freshId) ? freshCode : DeviceKeys.verificationCode(keyHandle, filed.id());
            return new JoinReceipt(filed.id(), filed.state(), code, fingerprint);
        });
    }

    /**
     * The account handle is a claim, not a proof: an invite admits only an account that is not yet a
     * live member, and a request for a live member's account always waits for an administrator. Such
     * a request still spends the invite, so that one code cannot probe which accounts are members.
     * A pending request is never changed: the same account and key again is a retry that answers with
     * that request, another key is a new request.
     */
    private Filed file(Handle handle, Environment environment, Checked submission, String accountHandle,
            String keyHandle, String freshId) {
        String environmentId = environment.id();
        long now = clock.millis();
        JoinQueue queue = JoinQueue.read(handle, environmentId, accountHandle, keyHandle, now);
        if (queue.overdue()) {
            expireOverdue(handle, environmentId, now);
        }
        Optional<InviteCodes.Issuer> invite = submission.inviteCode() == null ? Optional.empty()
                : InviteCodes.find(handle, environmentId, submission.inviteCode(), now);
        if (submission.inviteCode() != null && invite.isEmpty()) {
            // not a live invite of this environment: guessed, or one already used or expired
            events.record(environmentId, SecurityEventCategory.INVITE_CODE_GUESSED, keyHandle);
        }
        boolean admitted = invite.isPresent() && queue.liveMember() == null;
        String id;
        if (queue.retried() != null) {
            id = queue.retried();
        } else {
            // An admitted request is approved at once and never waits in the queue.
            if (!admitted && queue.pending() >= configuration.maxPendingJoinRequests()) {
                // Debug only: under a flood every refused request would otherwise write a line.
                LOG.debug("Environment {} refuses join requests: {} are pending", environmentId, queue.pending());
                recordFlood(handle, environmentId, now);
                throw new RateLimitedException("too many join requests are waiting; try again later", QUEUE_RETRY);
            }
            id = freshId;
            handle.createUpdate("INSERT INTO join_request (id, environment_id, state, account_handle, key_handle,"
                    + " public_key, display_name, created_at, expires_at) VALUES (:id, :env, 'PENDING', :account, :key,"
                    + " :publicKey, :displayName, :now, :expiresAt)")
                    .bind("id", id).bind("env", environmentId).bind("account", accountHandle).bind("key", keyHandle)
                    .bind("publicKey", submission.key()).bind("displayName", submission.displayName())
                    .bind("now", now).bind("expiresAt", now + configuration.joinRequestTtl().toMillis())
                    .execute();
        }
        invite.ifPresent(used -> InviteCodes.markUsed(handle, used, id, now));
        if (!admitted) {
            return new Filed(id, JoinRequestState.PENDING);
        }
        approve(handle, environment, id, new Applicant(accountHandle, keyHandle, submission.key(),
                submission.displayName(), null), now);
        audit.append(new AuditEntry(invite.get().tokenId(), invite.get().role(), environmentId,
                "join-request.approve", id, AuditOutcome.ALLOWED, null));
        return new Filed(id, JoinRequestState.APPROVED);
    }

    /**
     * The active environment behind a server ID. The environment service has no lookup by server
     * ID, so this reads the environment table's unique server_id column and asks the service for the state.
     */
    private Optional<Environment> activeByServerId(String serverId) {
        return database.read(handle -> handle.createQuery("SELECT id FROM environment WHERE server_id = :serverId")
                .bind("serverId", serverId.toUpperCase(java.util.Locale.ROOT)).mapTo(String.class).findOne())
                .map(gate::readable)
                .filter(environment -> environment.state() == EnvironmentState.ACTIVE);
    }

    /**
     * Records a join flood once a minute per environment, in a transaction of its own once the
     * refused request's work has been rolled back; on the writer, before the refusal is answered.
     */
    private void recordFlood(Handle handle, String environmentId, long now) {
        long minute = now / 60_000;
        Long previous = floodRecorded.put(environmentId, minute);
        if (previous != null && previous == minute) {
            return;
        }
        handle.afterCommit(() -> {
            try {
                handle.useTransaction(h -> events.record(environmentId, SecurityEventCategory.JOIN_FLOOD, null));
            } catch (RuntimeException e) {
                LOG.warn("Could not record a join flood ({})", e.getClass().getName());
            }
        });
    }

    /** Expired requests leave the pending queue and drop the display name and account handle. */
    private static void expireOverdue(Handle handle, String environmentId, long now) {
        handle.createUpdate("UPDATE join_request SET state = 'EXPIRED', decided_at = expires_at, display_name = NULL,"
                + " account_handle = NULL WHERE environment_id = :env AND state = 'PENDING' AND expires_at <= :now")
                .bind("env", environmentId).bind("now", now).execute();
    }

    @Override
    public JoinRequest follow(String requestId, String signature) {
        return database.read(handle -> signed(handle, requestId, "GET", signature).view(clock.instant()));
    }

    @Override
    public void cancel(String requestId, String signature) {
        database.inTransaction(handle -> {
            JoinRequestRow row = signed(handle, requestId, "DELETE", signature);
            requirePending(row);
            close(handle, row.id(), JoinRequestState.CANCELLED, clock.millis());
            return null;
        });
    }

    /** The request, once its device's signature over this method and a fresh timestamp checks out. */
    private JoinRequestRow signed(Handle handle, String requestId, String method, String header) {
        JoinSignature signature = JoinSignature.parse(header, clock.instant());
        JoinRequestRow row = JoinRequestRow.find(handle, requestId).filter(found -> found.signingKey() != null)
                .orElseThrow(() -> new NotFoundException("join request"));
        signature.verify(row.signingKey(), row.id(), method);
        return row;
    }

    @Override
    public Page<JoinRequest> list(String environmentId, JoinRequestState state, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        Instant now = clock.instant();
        gate.readable(environmentId);
        return database.read(handle -> {
            String condition = switch (state) {
                case PENDING -> " AND j.state = 'PENDING' AND j.expires_at > :now";
                case EXPIRED -> " AND (j.state = 'EXPIRED' OR (j.state = 'PENDING' AND j.expires_at <= :now))";
                default -> " AND j.state = :state";
            };
            var query = handle.createQuery(JoinRequestRow.SELECT + " WHERE j.environment_id = :env" + condition
                    + KeysetCondition.after(after, "j.")
                    + " ORDER BY j.created_at, j.id LIMIT :limit")
                    .bind("env", environmentId).bind("now", now.toEpochMilli()).bind("state", state.name())
                    .bind("limit", page.limit() + 1);
            KeysetCondition.bind(query, after);
            List<JoinRequestRow> rows = query.map((rs, ctx) -> JoinRequestRow.read(rs)).list();
            return Keyset.page(rows.stream().map(row -> row.view(now)).toList(), page.limit(),
                    request -> new Keyset(request.createdAt().toEpochMilli(), request.id()));
        });
    }

    @Override
    public JoinRequest get(String environmentId, String requestId) {
        gate.readable(environmentId);
        return database.read(handle -> {
            return inEnvironment(handle, environmentId, requestId).view(clock.instant());
        });
    }

    @Override
    public JoinRequest approve(String environmentId, String requestId, String deviceFingerprint) {
        String compared = Text.required("deviceFingerprint", deviceFingerprint, 64);
        return database.inTransaction(handle -> {
            Environment environment = gate.active(environmentId);
            JoinRequestRow pending = inEnvironment(handle, environmentId, requestId);
            requirePending(pending);
            if (!DeviceKeys.fingerprint(pending.keyHandle()).equalsIgnoreCase(compared)) {
                throw new ConflictException("the device fingerprint is not this request's; compare it again");
            }
            long now = clock.millis();
            Approval approval = approve(handle, environment, requestId,
                    new Applicant(pending.accountHandle(), pending.keyHandle(), pending.signingKey(),
                            pending.displayName(), pending.existingMemberId()), now);
            return pending.approved(Instant.ofEpochMilli(now), approval.memberId(), approval.deviceId()).view(clock.instant());
        });
    }

    /**
     * Makes the account a member, with the display name it asked for, and enrolls the device in the
     * environment's new-device trust, or,
     * for an account that is a live member already, adds the device to that member as PENDING: an
     * account handle proves nothing, so only a device administrator lets such a device in. Then
     * keeps on the request only the ids the device needs to continue.
     */
    private Approval approve(Handle handle, Environment environment, String requestId, Applicant applicant,
            long now) {
        boolean existing = applicant.liveMember() != null;
        String memberId = existing ? applicant.liveMember()
                : Enrollment.newMember(handle, environment.id(), applicant.accountHandle(), applicant.displayName(),
                        now);
        EnrollmentTrust trust = existing ? EnrollmentTrust.PENDING : environment.newDeviceTrust();
        String deviceId = Enrollment.newDevice(handle, events, environment.id(), memberId, applicant.keyHandle(),
                applicant.publicKey(), trust, now);
        handle.createUpdate("UPDATE join_request SET state = 'APPROVED', decided_at = :now, member_id = :member,"
                + " device_id = :device, account_handle = NULL, display_name = NULL, public_key = NULL WHERE id = :id")
                .bind("now", now).bind("member", memberId).bind("device", deviceId).bind("id", requestId).execute();
        return new Approval(memberId, deviceId);
    }

    @Override
    public JoinRequest reject(String environmentId, String requestId) {
        return database.inTransaction(handle -> {
            gate.active(environmentId);
            requirePending(inEnvironment(handle, environmentId, requestId));
            close(handle, requestId, JoinRequestState.REJECTED, clock.millis());
            return inEnvironment(handle, environmentId, requestId).view(clock.instant());
        });
    }

    /** A refusal keeps only what the audit needs: the id, the environment, the state and the times. */
    private static void close(Handle handle, String requestId, JoinRequestState state, long now) {
        handle.createUpdate("UPDATE join_request SET state = :state, decided_at = :now, account_handle = NULL,"
                + " key_handle = NULL, public_key = NULL, display_name = NULL WHERE id = :id")
                .bind("state", state.name()).bind("now", now).bind("id", requestId).execute();
    }

    private void requirePending(JoinRequestRow row) {
        JoinRequestState state = row.state(clock.instant());
        if (state != JoinRequestState.PENDING) {
            throw new ConflictException("the join request is " + state + ", not PENDING");
        }
    }

    private static JoinRequestRow inEnvironment(Handle handle, String environmentId, String requestId) {
        return JoinRequestRow.find(handle, requestId).filter(row -> row.environmentId().equals(environmentId))
                .orElseThrow(() -> new NotFoundException("join request"));
    }
}
