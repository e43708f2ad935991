package io.enigm.server.membership;

/**
 * What a device sends to ask to join the environment behind a server ID.
 *
 * @param serverId        the environment's shareable join locator
 * @param accountHandle   the requester's Enigm account handle; stored only as a per-environment handle
 * @param devicePublicKey standard Base64 of the device's Ed25519 X.509 SubjectPublicKeyInfo
 * @param displayName     a name the requester chooses for the reviewing administrator, or {@code null};
 *                        kept only while the request is pending
 * @param inviteCode      an invite code, or {@code null}
 */
public record JoinSubmission(String serverId, String accountHandle, String devicePublicKey, String displayName,
        String inviteCode) {

    public static final int MAX_ACCOUNT_HANDLE_LENGTH = 256;
    public static final int MAX_DISPLAY_NAME_LENGTH = 100;
}
