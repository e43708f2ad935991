package io.enigm.server.membership.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.SessionGrant;
import io.enigm.server.membership.SessionPrincipal;
import io.enigm.server.membership.SessionProof;
import io.enigm.server.membership.SessionTokens;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.PolicyEngine;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.enigm.server.support.ids.TimeOrderedIds;

/**
 * The device-signed session flow. Each request is read and checked on the caller's thread (nonce,
 * Ed25519 signature, member and device state), decided by the policy engine outside any write
 * transaction (it may wait on providers); then its nonce is used up, in memory, so that of two
 * requests racing with one nonce only one goes on, and only then is the session written in one
 * short transaction.
 */
@Component(service = SessionTokens.class, configurationPid = SessionConfiguration.PID)
@Designate(ocd = SessionConfiguration.class)
public class SignedSessions implements SessionTokens {

    private static final Logger LOG = LoggerFactory.getLogger(SignedSessions.class);
    private static final String SIGNATURE_CONTEXT = "enigm-session-v1";
    /** A renewal signs the session it renews: a signature made to open a session never renews one. */
    private static final String RENEWAL_CONTEXT = "enigm-session-renew-v1";
    /** 256 random bits, URL-safe Base64 without padding. */
    private static final int TOKEN_LENGTH = 43;
    private static final int MAX_EVIDENCE_PROVIDERS = 16;
    private static final String ENVIRONMENT_OPEN = "('ACTIVE', 'CLOSING')";

    private final Database database;
    private final SessionNonces nonces;
    private final PolicyEngine policy;
    private final Duration lifetime;
    private final Clock clock;
    private final SessionRefusals refusals;
    private final SessionAuthorization authorization;

    @Activate
    public SignedSessions(@Reference Database database, @Reference SessionNonces nonces,
            @Reference PolicyEngine policy, @Reference AuditLog audit, @Reference SecurityEventRecorder events,
            @Reference EnvironmentService environments, SessionConfiguration configuration) {
        this(database, nonces, policy, audit, new SessionRefusals.Watch(events, environments,
                configuration.repeatedFailuresThreshold(),
                Duration.ofSeconds(configuration.repeatedFailuresWindowSeconds())), lifetime(configuration),
                Clock.systemUTC(), configuration.refusalEventsPerSecond(), true);
        LOG.info("Device sessions last {} minutes", lifetime.toMinutes());
    }

    /** Without a schedule: the caller flushes held-back refusals with {@link #flushRefusals}. */
    SignedSessions(Database database, SessionNonces nonces, PolicyEngine policy, AuditLog audit,
            SessionRefusals.Watch watch, Duration lifetime, Clock clock, int refusalEventsPerSecond) {
        this(database, nonces, policy, audit, watch, lifetime, clock, refusalEventsPerSecond, false);
    }

    private SignedSessions(Database database, SessionNonces nonces, PolicyEngine policy, AuditLog audit,
            SessionRefusals.Watch watch, Duration lifetime, Clock clock, int refusalEventsPerSecond,
            boolean scheduled) {
        this.database = database;
        this.nonces = nonces;
        this.policy = policy;
        this.lifetime = lifetime;
        this.clock = clock;
        this.refusals = new SessionRefusals(database, audit, watch, clock, refusalEventsPerSecond, scheduled);
        this.authorization = new SessionAuthorization(database, policy, audit, watch.events(), clock);
    }

    /** Writes the held-back refusals; returns how many. */
    long flushRefusals() {
        return refusals.flush();
    }

    @Deactivate
    void stop() {
        refusals.stop();
    }

    private static Duration lifetime(SessionConfiguration configuration) {
        int minutes = configuration.sessionLifetimeMinutes();
        if (minutes < 1 || minutes > 1440) {
            throw new IllegalArgumentException("sessionLifetimeMinutes must be between 1 and 1440, not " + minutes);
        }
        return Duration.ofMinutes(minutes);
    }

    @Override
    public SessionGrant open(String environmentId, SessionProof proof) {
        String deviceId = Text.required("deviceId", proof.deviceId(), 64);
        Proven proven = prove(environmentId, deviceId, proof, null);
        Decision decision = decide(proven, AccessAction.OPEN_SESSION, proof);
        long now = clock.millis();
        if (decision.outcome() != DecisionOutcome.ALLOW) {
            consume(proven, now, SecurityEventCategory.SESSION_POLICY_DENIED, null);
            throw refusal(decision);
        }
        requireNonce(proven);
        String token = Randoms.token();
        String sessionId = TimeOrderedIds.next();
        long expiresAt = now + lifetime.toMillis();
        int inserted = database.inTransaction(handle -> {
            refusals.reportOnly(proven.subject(), decision);
            // Inserted only while the device and member still qualify: a revocation that committed
            // after the checks above wins.
            return handle.createUpdate("INSERT INTO session (id, environment_id, member_id, device_id, token_hash,"
                    + " created_at, expires_at, policy_version, decision_warnings, authenticated_at, signals)"
                    + " SELECT :id, d.environment_id, d.member_id, d.id, :hash, :now, :expires, :version, :warnings,"
                    + " :now, :signals FROM device d JOIN member m ON m.id = d.member_id"
                    + " WHERE d.id = :device AND d.trust = 'TRUSTED' AND m.state = 'ACTIVE'")
                    .bind("id", sessionId).bind("hash", hash(token)).bind("now", now).bind("expires", expiresAt)
                    .bind("version", decision.policyVersion()).bind("warnings", names(decision.warnings()))
                    .bind("signals", EstablishedSignals.encode(decision.established())).bind("device", deviceId)
                    .execute();
        });
        if (inserted == 0) {
            throw new AccessDeniedException("the device may not open sessions", false,
                    List.of(DecisionCategory.DEVICE_TRUST.name()));
        }
        return new SessionGrant(sessionId, token, Instant.ofEpochMilli(expiresAt), sorted(decision.warnings()),
                decision.policyVersion());
    }

    @Override
    public SessionGrant renew(String environmentId, String sessionId, String token, SessionProof proof) {
        String tokenHash = tokenHash(token);
        try {
            return renewSession(environmentId, sessionId, tokenHash, proof);
        } catch (AuthenticationFailedException e) {
            refusals.tokenRefused(tokenHash, environmentId);
            throw e;
        }
    }

    private SessionGrant renewSession(String environmentId, String sessionId, String tokenHash, SessionProof proof) {
        Proven proven = prove(environmentId, proof.deviceId(), proof, new Renewal(sessionId, tokenHash));
        Decision decision = decide(proven, AccessAction.RENEW_SESSION, proof);
        long now = clock.millis();
        if (decision.outcome() == DecisionOutcome.DENY) {
            consume(proven, now, SecurityEventCategory.SESSION_POLICY_DENIED, handle -> Revocations.closeSession(handle,
                    sessionId, now));
            throw refusal(decision);
        }
        if (decision.outcome() == DecisionOutcome.STEP_UP) {
            // The session keeps its remaining time: the device may still prove more and renew.
            consume(proven, now, SecurityEventCategory.SESSION_POLICY_DENIED, null);
            throw refusal(decision);
        }
        requireNonce(proven);
        String renewed = Randoms.token();
        long expiresAt = now + lifetime.toMillis();
        int updated = database.inTransaction(handle -> {
            refusals.reportOnly(proven.subject(), decision);
            return handle.createUpdate("UPDATE session SET token_hash = :renewed,"
                    + " expires_at = :expires, policy_version = :version, decision_warnings = :warnings,"
                    + " authenticated_at = :now, signals = :signals WHERE id = :id AND token_hash = :hash"
                    + " AND closed_at IS NULL"
                    + " AND expires_at > :now AND EXISTS (SELECT 1 FROM device d JOIN member m ON m.id = d.member_id"
                    + " WHERE d.id = session.device_id AND d.trust = 'TRUSTED' AND m.state = 'ACTIVE')")
                    .bind("renewed", hash(renewed)).bind("expires", expiresAt)
                    .bind("version", decision.policyVersion()).bind("warnings", names(decision.warnings()))
                    .bind("signals", EstablishedSignals.encode(decision.established()))
                    .bind("now", now).bind("id", sessionId).bind("hash", tokenHash).execute();
        });
        if (updated == 0) {
            throw new AuthenticationFailedException("the session token is not accepted");
        }
        return new SessionGrant(sessionId, renewed, Instant.ofEpochMilli(expiresAt), sorted(decision.warnings()),
                decision.policyVersion());
    }

    @Override
    public Optional<SessionPrincipal> authenticate(String token) {
        if (token == null || token.length() != TOKEN_LENGTH) {
            return Optional.empty();
        }
        String tokenHash = hash(token);
        long now = clock.millis();
        return database.read(handle -> handle.createQuery("SELECT s.id, s.environment_id, s.member_id, s.device_id,"
                + " s.expires_at FROM session s JOIN device d ON d.id = s.device_id JOIN member m ON m.id = s.member_id"
                + " JOIN environment e ON e.id = s.environment_id WHERE s.token_hash = :hash AND s.closed_at IS NULL"
                + " AND s.expires_at > :now AND d.trust = 'TRUSTED' AND m.state = 'ACTIVE' AND e.state IN "
                + ENVIRONMENT_OPEN)
                .bind("hash", tokenHash).bind("now", now)
                .map((rs, ctx) -> new SessionPrincipal(rs.getString("environment_id"), rs.getString("member_id"),
                        rs.getString("device_id"), rs.getString("id"), Rows.instant(rs, "expires_at")))
                .findOne());
    }

    @Override
    public SessionPrincipal authenticate(String token, String environmentId) {
        Optional<SessionPrincipal> principal = authenticate(token);
        if (principal.isPresent() && principal.get().environmentId().equals(environmentId)) {
            return principal.get();
        }
        refusals.tokenRefused(tokenHash(token), environmentId);
        throw new AuthenticationFailedException("the session token is not accepted");
    }

    @Override
    public SessionPrincipal authorize(String token, String environmentId, AccessAction action,
            String resourceCategory) {
        String tokenHash = tokenHash(token);
        try {
            return authorization.authorize(tokenHash, environmentId, action, resourceCategory);
        } catch (AuthenticationFailedException e) {
            refusals.tokenRefused(tokenHash, environmentId);
            throw e;
        }
    }

    /** The hash a session token is stored by, or {@code null} when it cannot be one. */
    private static String tokenHash(String token) {
        return token == null || token.length() != TOKEN_LENGTH ? null : hash(token);
    }

    /** The session a renewal names, with the hash of the token presented for it. */
    private record Renewal(String sessionId, String tokenHash) {
    }

    /** A device that proved it holds its enrolled key with a live nonce, and qualifies by state. */
    private record Proven(String environmentId, String deviceId, String memberId, String role, byte[] publicKey,
            String keyHandle, boolean trusted, SessionNonces.Challenge challenge) {

        DefensiveResponses.Subject subject() {
            return new DefensiveResponses.Subject(environmentId, deviceId, memberId, keyHandle, trusted);
        }

        String nonce() {
            return challenge.nonce();
        }
    }

    /**
     * Checks everything that needs no decision, in an order that tells a caller without the key
     * nothing about the device: nonce, then signature, then states.
     */
    private Proven prove(String environmentId, String claimedDevice, SessionProof proof, Renewal renewal) {
        String nonce = Text.required("nonce", proof.nonce(), 64);
        String signatureText = Text.required("signature", proof.signature(), 128);
        if (proof.evidence().size() > MAX_EVIDENCE_PROVIDERS) {
            throw new InvalidRequestException("evidence", "must name at most " + MAX_EVIDENCE_PROVIDERS + " providers");
        }
        if (proof.evidence().values().stream().anyMatch(Objects::isNull)) {
            throw new InvalidRequestException("evidence", "must map each provider type to a JSON object");
        }
        long now = clock.millis();
        SessionStanding standing = database.read(handle -> SessionStanding.read(handle, environmentId, claimedDevice,
                renewal == null ? null : renewal.sessionId(), renewal == null ? null : renewal.tokenHash(), clock.millis()));
        if (standing == null || "DELETED".equals(standing.environmentState())) {
            // Refused like an unknown nonce or token: a public route does not tell which environments exist.
            throw new AuthenticationFailedException(renewal == null ? "the nonce or the signature is not accepted"
                    : "the session token is not accepted");
        }
        if (!"ACTIVE".equals(standing.environmentState()) && !"CLOSING".equals(standing.environmentState())) {
            throw new ConflictException("the environment is " + standing.environmentState()
                    + " and opens no sessions");
        }
        String deviceId = claimedDevice;
        if (renewal != null) {
            if (standing.sessionDevice() == null) {
                throw refused(environmentId, SecurityEventCategory.SESSION_TOKEN_REFUSED, null, null,
                        "the session token is not accepted");
            }
            if (deviceId != null && !deviceId.equals(standing.sessionDevice())) {
                throw refused(environmentId, SecurityEventCategory.SESSION_TOKEN_REFUSED, null, standing,
                        "the session token is not accepted");
            }
            deviceId = standing.sessionDevice();
        }
        SessionNonces.Challenge challenge = nonces.find(nonce);
        if (challenge == null) {
            throw refused(environmentId, SecurityEventCategory.SESSION_NONCE_UNKNOWN, deviceId, standing, null);
        }
        if (!challenge.isFor(environmentId, deviceId)) {
            throw refused(environmentId, SecurityEventCategory.SESSION_NONCE_MISMATCH, deviceId, standing, null);
        }
        if (challenge.expiresAt() <= now) {
            throw refused(environmentId, SecurityEventCategory.SESSION_NONCE_EXPIRED, deviceId, standing, null);
        }
        byte[] message = signedMessage(environmentId, deviceId, nonce, renewal);
        if (!DeviceKeys.verifies(DeviceKeys.point(standing.publicKey()), message, DeviceKeys.signature(signatureText))) {
            throw refused(environmentId, SecurityEventCategory.SESSION_SIGNATURE_FORGED, deviceId, standing, null);
        }
        Proven proven = new Proven(environmentId, deviceId, standing.memberId(), standing.role(),
                standing.publicKey(), standing.keyHandle(), DeviceTrust.TRUSTED.name().equals(standing.trust()),
                challenge);
        if (!MemberState.ACTIVE.name().equals(standing.memberState())) {
            consume(proven, now, SecurityEventCategory.SESSION_MEMBER_REFUSED, renewal == null ? null
                    : handle -> Revocations.closeSession(handle, renewal.sessionId(), now));
            throw new AccessDeniedException("the member may not open sessions", false,
                    List.of(DecisionCategory.ACCOUNT_ELIGIBILITY.name()));
        }
        if (!DeviceTrust.TRUSTED.name().equals(standing.trust())) {
            consume(proven, now, SecurityEventCategory.SESSION_DEVICE_REFUSED, renewal == null ? null
                    : handle -> Revocations.closeSession(handle, renewal.sessionId(), now));
            throw new AccessDeniedException("the device may not open sessions", false,
                    List.of(DecisionCategory.DEVICE_TRUST.name()));
        }
        return proven;
    }

    /**
     * What the device signs: {@code enigm-session-v1\n<env>\n<device>\n<nonce>} to open a session,
     * {@code enigm-session-renew-v1\n<env>\n<device>\n<session id>\n<nonce>} to renew one.
     */
    static byte[] signedMessage(String environmentId, String deviceId, String nonce, Renewal renewal) {
        String message = renewal == null
                ? SIGNATURE_CONTEXT + "\n" + environmentId + "\n" + deviceId + "\n" + nonce
                : RENEWAL_CONTEXT + "\n" + environmentId + "\n" + deviceId + "\n" + renewal.sessionId() + "\n" + nonce;
        return message.getBytes(StandardCharsets.UTF_8);
    }

    /** Asks the policy outside any write transaction: the engine may wait on providers within their budgets. */
    private Decision decide(Proven proven, AccessAction action, SessionProof proof) {
        // the nonce this attempt proved with: providers' possession proofs must sign it
        AccessRequest request = new AccessRequest(proven.environmentId(), proven.memberId(), proven.deviceId(),
                proven.publicKey(), proven.role(), true, true, false, action, null, clock.instant(), proof.evidence(),
                proven.nonce());
        return FailClosed.decide(policy, request);
    }

    /**
     * Uses up the nonce of a proven device whose request is refused, with the security event and any
     * further consequence, in one transaction. Used already by a racing request: nothing more to do.
     */
    private void consume(Proven proven, long now, SecurityEventCategory category, Consumer<Handle> more) {
        if (!useNonce(proven)) {
            return;
        }
        database.inTransaction(handle -> {
            refusals.record(proven.subject(), category);
            if (more != null) {
                more.accept(handle);
            }
            return null;
        });
        refusals.count(proven.subject(), category);
    }

    /** Uses up the nonce, or refuses: a concurrent request with the same nonce got there first. */
    private void requireNonce(Proven proven) {
        if (!useNonce(proven)) {
            throw new AuthenticationFailedException("the nonce or the signature is not accepted");
        }
    }

    private boolean useNonce(Proven proven) {
        return nonces.use(proven.challenge());
    }

    /**
     * Counts a refusal of a caller that has not proved its key, then answers 401. The event is best
     * effort: the caller is refused whether or not it could be written.
     */
    private AuthenticationFailedException refused(String environmentId, SecurityEventCategory category,
            String deviceId, SessionStanding standing, String message) {
        LOG.debug("Session request refused: {}", category);
        refusals.unproven(environmentId, category, deviceId, standing);
        return new AuthenticationFailedException(message != null ? message
                : "the nonce or the signature is not accepted");
    }

    private static AccessDeniedException refusal(Decision decision) {
        boolean stepUp = decision.outcome() == DecisionOutcome.STEP_UP;
        return new AccessDeniedException(stepUp ? "the policy asks the device to prove more"
                : "the policy denies this session", stepUp, sorted(decision.categories()));
    }

    private static List<String> sorted(Set<DecisionCategory> categories) {
        return categories.stream().sorted(Comparator.naturalOrder()).map(Enum::name).toList();
    }

    private static String names(Set<DecisionCategory> categories) {
        return categories.isEmpty() ? null : String.join(",", sorted(categories));
    }

    /** Tokens are kept as SHA-256 only: a 256-bit random token needs no slow hash. */
    static String hash(String token) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
