package io.enigm.server.membership.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.membership.SessionPrincipal;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.PolicyEngine;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeyedRead;

/**
 * Decides what a live session's device may do beyond holding its session (reading, uploading,
 * deleting content): one read establishes the session, its device and its member exactly as
 * {@link SignedSessions#authenticate} does, then the policy decides as it decides a session, with
 * the time the device last proved its key and the provider signals its opening or last renewal
 * established (until each expires); other provider requirements are asked of the providers' own
 * records, with no evidence, since a proof bound to one session attempt cannot be shown again. A
 * refusal is audited and counted as a security event; an allow that report-only rules or a grace period qualified is audited with its
 * warnings, so that reviewers see what an enforced rule would refuse.
 */
final class SessionAuthorization {

    private static final String ENVIRONMENT_OPEN = "('ACTIVE', 'CLOSING')";

    private final Database database;
    private final PolicyEngine policy;
    private final AuditLog audit;
    private final SecurityEventRecorder events;
    private final Clock clock;

    SessionAuthorization(Database database, PolicyEngine policy, AuditLog audit, SecurityEventRecorder events,
            Clock clock) {
        this.database = database;
        this.policy = policy;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** The standing device of a live session, with what its decision needs. */
    private record Standing(SessionPrincipal principal, String role, byte[] publicKey, String keyHandle,
            Instant authenticatedAt, Map<SignalCategory, Instant> established) {
    }

    /** On every content request: kept compiled, bound by position, read by column index. */
    private static final KeyedRead<Standing> STANDING = new KeyedRead<>(
            "SELECT s.environment_id, s.member_id, s.device_id, s.id, s.expires_at,"
            + " COALESCE(s.authenticated_at, s.created_at), m.role, d.public_key, d.key_handle, s.signals"
            + " FROM session s JOIN device d ON d.id = s.device_id JOIN member m ON m.id = s.member_id"
            + " JOIN environment e ON e.id = s.environment_id WHERE s.token_hash = ? AND s.environment_id = ?"
            + " AND s.expires_at > ? AND s.closed_at IS NULL AND d.trust = 'TRUSTED' AND m.state = 'ACTIVE'"
            + " AND e.state IN " + ENVIRONMENT_OPEN,
            rs -> new Standing(new SessionPrincipal(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getString(4), Rows.instant(rs, 5)), rs.getString(7), rs.getBytes(8), rs.getString(9),
                    Rows.instant(rs, 6), EstablishedSignals.decode(rs.getString(10))));

    SessionPrincipal authorize(String tokenHash, String environmentId, AccessAction action, String resourceCategory) {
        long now = clock.millis();
        Standing standing = tokenHash == null ? null : database.read(handle -> STANDING.find(handle, tokenHash,
                environmentId, now)).orElse(null);
        if (standing == null) {
            throw new AuthenticationFailedException("the session token is not accepted");
        }
        SessionPrincipal principal = standing.principal();
        Decision decision = FailClosed.decide(policy, new AccessRequest(environmentId, principal.memberId(),
                principal.deviceId(), standing.publicKey(), standing.role(), true, true, false, action,
                resourceCategory, standing.authenticatedAt(), Map.of(), null, standing.established()));
        String auditAction = auditAction(action);
        if (decision.outcome() != DecisionOutcome.ALLOW) {
            List<String> categories = sorted(decision.categories());
            database.inTransaction(handle -> {
                events.record(environmentId, SecurityEventCategory.CONTENT_POLICY_DENIED, standing.keyHandle());
                audit.append(new AuditEntry(principal.deviceId(), "DEVICE", environmentId, auditAction, null,
                        AuditOutcome.DENIED, String.join(",", categories)));
                return null;
            });
            boolean stepUp = decision.outcome() == DecisionOutcome.STEP_UP;
            throw new AccessDeniedException(stepUp ? "the policy asks the device to prove more"
                    : "the policy denies this", stepUp, categories);
        }
        if (!decision.warnings().isEmpty()) {
            database.inTransaction(handle -> {
                if (FailClosed.reportOnlyWouldDeny(decision)) {
                    events.record(environmentId, SecurityEventCategory.REPORT_ONLY_WOULD_DENY, standing.keyHandle());
                }
                return audit.append(new AuditEntry(principal.deviceId(), "DEVICE", environmentId, auditAction, null,
                        AuditOutcome.ALLOWED, String.join(",", sorted(decision.warnings()))));
            });
        }
        return principal;
    }

    /** {@code UPLOAD_CONTENT} is audited as {@code content.upload}, as the content service audits its work. */
    private static String auditAction(AccessAction action) {
        String name = action.name().toLowerCase(Locale.ROOT);
        int underscore = name.indexOf('_');
        return underscore < 0 ? name : name.substring(underscore + 1) + "." + name.substring(0, underscore);
    }

    private static List<String> sorted(Set<DecisionCategory> categories) {
        return categories.stream().sorted().map(Enum::name).toList();
    }
}
