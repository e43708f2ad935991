package io.enigm.server.membership.internal;

import org.jdbi.v3.core.Handle;
import io.enigm.server.support.ids.TimeOrderedIds;

/**
 * Appends minimized security signals to {@code security_event}: a category, a risk class and the
 * subject's per-environment handle, never a token, nonce, signature or raw identifier.
 */
final class SecurityEvents {

    enum Risk {
        LOW, MEDIUM, HIGH, CRITICAL
    }

    /** Refusals of the device-signed flows (sessions, device addition), counted for review and Enigm Intelligence. */
    enum Category {
        /** A nonce that is unknown: never issued, or already used (a replay). */
        SESSION_NONCE_UNKNOWN(Risk.MEDIUM),
        /** A nonce issued for another device or another environment. */
        SESSION_NONCE_MISMATCH(Risk.HIGH),
        /** A nonce presented after its 60 seconds. */
        SESSION_NONCE_EXPIRED(Risk.LOW),
        /** A signature that the device's enrolled key did not make. */
        SESSION_SIGNATURE_FORGED(Risk.HIGH),
        /**
         * A renewal with a token that is not the open session's: often just a session that expired
         * before the device renewed it, hence the low risk.
         */
        SESSION_TOKEN_REFUSED(Risk.LOW),
        /** A device not TRUSTED (restricted, revoked, replaced, retired, pending) asked for a session. */
        SESSION_DEVICE_REFUSED(Risk.HIGH),
        /** A device of a member not ACTIVE asked for a session. */
        SESSION_MEMBER_REFUSED(Risk.MEDIUM),
        /** The environment's policy denied the session or asked for a step-up. */
        SESSION_POLICY_DENIED(Risk.LOW),
        /** The environment's policy refused a trusted device's request to add a device to its member. */
        DEVICE_ADD_POLICY_DENIED(Risk.MEDIUM),
        /** The environment's policy refused a session's device a content action (upload, read, delete). */
        CONTENT_POLICY_DENIED(Risk.LOW);

        final Risk risk;

        Category(Risk risk) {
            this.risk = risk;
        }
    }

    private SecurityEvents() {
    }

    /** Appends on the caller's transaction handle: one event standing for {@code occurrences} of the same refusal. */
    static void append(Handle handle, String environmentId, Category category, String subjectHandle, long now,
            long occurrences) {
        handle.createUpdate("INSERT INTO security_event (id, environment_id, category, risk, subject_handle, created_at,"
                + " occurrences) VALUES (:id, :env, :category, :risk, :subject, :now, :occurrences)")
                .bind("id", TimeOrderedIds.next()).bind("env", environmentId).bind("category", category.name())
                .bind("risk", category.risk.name()).bind("subject", subjectHandle).bind("now", now)
                .bind("occurrences", occurrences).execute();
    }
}
