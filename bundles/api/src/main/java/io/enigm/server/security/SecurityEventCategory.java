package io.enigm.server.security;

import static io.enigm.server.security.RiskClass.CRITICAL;
import static io.enigm.server.security.RiskClass.HIGH;
import static io.enigm.server.security.RiskClass.LOW;
import static io.enigm.server.security.RiskClass.MEDIUM;
import static io.enigm.server.security.SecurityEventGroup.ACCESS_ANOMALY;
import static io.enigm.server.security.SecurityEventGroup.DEFENSIVE_RESPONSE;
import static io.enigm.server.security.SecurityEventGroup.DEVICE_LIFECYCLE;
import static io.enigm.server.security.SecurityEventGroup.POLICY_VIOLATION;
import static io.enigm.server.security.SecurityEventGroup.SUSPICIOUS_ACTIVITY;

/**
 * What a security event says happened, with its group and risk class. The names are stored: a
 * category is never renamed, only added.
 */
public enum SecurityEventCategory {

    /** A nonce presented after its 60 seconds. */
    SESSION_NONCE_EXPIRED(ACCESS_ANOMALY, LOW),
    /** A session signature that the device's enrolled key did not make. */
    SESSION_SIGNATURE_FORGED(ACCESS_ANOMALY, HIGH),
    /** A renewal with a token that is not the open session's: often a session that simply expired. */
    SESSION_TOKEN_REFUSED(ACCESS_ANOMALY, LOW),
    /** A device not TRUSTED (restricted, revoked, replaced, retired, pending) asked for a session. */
    SESSION_DEVICE_REFUSED(ACCESS_ANOMALY, HIGH),
    /** A device of a member not ACTIVE asked for a session. */
    SESSION_MEMBER_REFUSED(ACCESS_ANOMALY, MEDIUM),
    /** A device or member crossed the installation's threshold of refusals within its window. */
    REPEATED_FAILURES(ACCESS_ANOMALY, MEDIUM),

    DEVICE_ENROLLED(DEVICE_LIFECYCLE, LOW),
    DEVICE_TRUSTED(DEVICE_LIFECYCLE, LOW),
    DEVICE_RESTRICTED(DEVICE_LIFECYCLE, MEDIUM),
    DEVICE_REVOKED(DEVICE_LIFECYCLE, MEDIUM),
    DEVICE_REPLACED(DEVICE_LIFECYCLE, LOW),
    DEVICE_RETIRED(DEVICE_LIFECYCLE, LOW),
    /** A device's hardware Key was marked lost. */
    DEVICE_KEY_LOST(DEVICE_LIFECYCLE, HIGH),

    /** The environment's policy denied a session or asked for a step-up. */
    SESSION_POLICY_DENIED(POLICY_VIOLATION, LOW),
    /** The policy refused a trusted device's request to add a device to its member. */
    DEVICE_ADD_POLICY_DENIED(POLICY_VIOLATION, MEDIUM),
    /** The policy refused a session's device a content action (upload, read, delete). */
    CONTENT_POLICY_DENIED(POLICY_VIOLATION, LOW),
    /** A report-only rule would have denied a session that was allowed. */
    REPORT_ONLY_WOULD_DENY(POLICY_VIOLATION, LOW),

    /** A nonce that is unknown: never issued, or already used (a replay). */
    SESSION_NONCE_UNKNOWN(SUSPICIOUS_ACTIVITY, MEDIUM),
    /** A nonce issued for another device or another environment. */
    SESSION_NONCE_MISMATCH(SUSPICIOUS_ACTIVITY, HIGH),
    /**
     * A hardware Key's answer, presented as evidence, that the Key's provider did not accept for this
     * attempt: replayed from another attempt, made for another device, forged, or from a Key lost or
     * revoked.
     */
    KEY_ANSWER_REFUSED(SUSPICIOUS_ACTIVITY, HIGH),
    /** An environment's admin token used on another environment or on the installation's routes. */
    TOKEN_OUTSIDE_SCOPE(SUSPICIOUS_ACTIVITY, HIGH),
    /** Join requests refused because the environment's pending queue is full. */
    JOIN_FLOOD(SUSPICIOUS_ACTIVITY, MEDIUM),
    /** The critical-operation PIN locked after repeated wrong PINs: someone with an admin token guesses it. */
    PIN_LOCKOUT(SUSPICIOUS_ACTIVITY, CRITICAL),
    /** A join request with an invite code that is not a live invite of the environment. */
    INVITE_CODE_GUESSED(SUSPICIOUS_ACTIVITY, MEDIUM),

    /** A device restricted automatically after repeated failures (the environment's defensive response). */
    DEVICE_RESTRICTED_AUTOMATICALLY(DEFENSIVE_RESPONSE, HIGH);

    private final SecurityEventGroup group;
    private final RiskClass risk;

    SecurityEventCategory(SecurityEventGroup group, RiskClass risk) {
        this.group = group;
        this.risk = risk;
    }

    public SecurityEventGroup group() {
        return group;
    }

    public RiskClass risk() {
        return risk;
    }
}
