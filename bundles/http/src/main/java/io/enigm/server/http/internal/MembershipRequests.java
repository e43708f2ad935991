package io.enigm.server.http.internal;

import java.util.Arrays;
import java.util.Locale;

import io.enigm.server.common.InvalidRequestException;

/** The JSON shapes of membership request bodies. Unknown fields are refused. */
final class MembershipRequests {

    private MembershipRequests() {
    }

    record SubmitJoinRequest(String serverId, String accountHandle, String devicePublicKey, String displayName,
            String inviteCode) {
    }

    /** What the administrator compared before approving. */
    record ApproveJoinRequest(String deviceFingerprint) {
    }

    record CreateInvite(Long ttlSeconds) {
    }

    record UpdateMember(String role, String state) {
    }

    record SetDeviceTrust(String state) {
    }

    record ReplaceDevice(String newDeviceId) {
    }

    record AddDevice(String devicePublicKey, String signingDeviceId, String nonce, String signature) {
    }

    record RequestChallenge(String deviceId) {
    }

    /** An enum constant named by {@code value}, or {@code null}; another name is a 422 naming the field. */
    static <E extends Enum<E>> E constant(String field, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).reduce((a, b) -> a + ", " + b).orElse("")
                    .toUpperCase(Locale.ROOT));
        }
    }
}
