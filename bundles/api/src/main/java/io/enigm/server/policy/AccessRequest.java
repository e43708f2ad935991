package io.enigm.server.policy;

import java.time.Instant;
import java.util.Map;

import io.enigm.server.attestation.spi.SignalCategory;

/**
 * A device's request, with what the caller has already established about it.
 *
 * @param environmentId          the environment
 * @param memberId               the member
 * @param deviceId               the device
 * @param publicKey              the device's enrolled key (for providers)
 * @param memberRole             the member's role, e.g. {@code MEMBER}
 * @param memberActive           the member's state is ACTIVE
 * @param deviceTrusted          the device's trust state is TRUSTED
 * @param openFinding            a security finding is open against the member or device
 * @param action                 what is asked
 * @param resourceCategory       the kind of resource, e.g. {@code message}, or {@code null}
 * @param sessionAuthenticatedAt when the device last proved its key (for freshness), or {@code null}
 * @param evidence               the device's evidence by provider type (parsed JSON)
 * @param challenge              the single-use nonce the server issued for this attempt, which the
 *                               device's possession proofs sign (handed to providers), or {@code null}
 * @param established            providers' signals that passed when the device's session was opened
 *                               or last renewed, each until it expires: counted as passed without
 *                               asking the provider again (a proof bound to one session attempt
 *                               cannot be shown twice), and otherwise asked as usual
 */
public record AccessRequest(String environmentId, String memberId, String deviceId, byte[] publicKey,
        String memberRole, boolean memberActive, boolean deviceTrusted, boolean openFinding, AccessAction action,
        String resourceCategory, Instant sessionAuthenticatedAt, Map<String, Map<String, Object>> evidence,
        String challenge, Map<SignalCategory, Instant> established) {

    public AccessRequest {
        established = established == null ? Map.of() : Map.copyOf(established);
    }

    /** A request with a server-issued nonce and nothing established before it. */
    public AccessRequest(String environmentId, String memberId, String deviceId, byte[] publicKey,
            String memberRole, boolean memberActive, boolean deviceTrusted, boolean openFinding, AccessAction action,
            String resourceCategory, Instant sessionAuthenticatedAt, Map<String, Map<String, Object>> evidence,
            String challenge) {
        this(environmentId, memberId, deviceId, publicKey, memberRole, memberActive, deviceTrusted, openFinding,
                action, resourceCategory, sessionAuthenticatedAt, evidence, challenge, Map.of());
    }

    /** A request without a server-issued nonce: a simulation, or an action no device attempt carries. */
    public AccessRequest(String environmentId, String memberId, String deviceId, byte[] publicKey,
            String memberRole, boolean memberActive, boolean deviceTrusted, boolean openFinding, AccessAction action,
            String resourceCategory, Instant sessionAuthenticatedAt, Map<String, Map<String, Object>> evidence) {
        this(environmentId, memberId, deviceId, publicKey, memberRole, memberActive, deviceTrusted, openFinding,
                action, resourceCategory, sessionAuthenticatedAt, evidence, null, Map.of());
    }
}
