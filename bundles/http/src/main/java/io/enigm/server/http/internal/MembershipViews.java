package io.enigm.server.http.internal;

import java.time.Instant;

import io.enigm.server.membership.Device;
import io.enigm.server.membership.Invite;
import io.enigm.server.membership.JoinReceipt;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MintedInvite;
import io.enigm.server.membership.Session;
import io.enigm.server.membership.SessionChallenge;

/** The JSON shapes of membership answers: handles and fingerprints, never raw identifiers. */
final class MembershipViews {

    private MembershipViews() {
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    record JoinReceiptView(String id, String state, String verificationCode, String deviceFingerprint) {

        static JoinReceiptView of(JoinReceipt receipt) {
            return new JoinReceiptView(receipt.id(), receipt.state().name(), receipt.verificationCode(),
                    receipt.deviceFingerprint());
        }
    }

    /** What the requesting device learns: the state, and once approved where it now belongs. */
    record JoinStatusView(String state, String environmentId, String memberId, String deviceId) {

        static JoinStatusView of(JoinRequest request) {
            boolean approved = request.memberId() != null;
            return new JoinStatusView(request.state().name(), approved ? request.environmentId() : null,
                    request.memberId(), request.deviceId());
        }
    }

    /** A request as administrators review it; {@code existingMemberId} says it adds a device to that member. */
    record JoinRequestView(String id, String state, String displayName, String verificationCode,
            String deviceFingerprint, String createdAt, String expiresAt, String decidedAt, String memberId,
            String deviceId, String existingMemberId) {

        static JoinRequestView of(JoinRequest request) {
            return new JoinRequestView(request.id(), request.state().name(), request.displayName(),
                    request.verificationCode(), request.deviceFingerprint(), text(request.createdAt()),
                    text(request.expiresAt()), text(request.decidedAt()), request.memberId(), request.deviceId(),
                    request.existingMemberId());
        }
    }

    record InviteView(String id, String state, String createdAt, String expiresAt, String joinRequestId) {

        static InviteView of(Invite invite) {
            return new InviteView(invite.id(), invite.state().name(), text(invite.createdAt()),
                    text(invite.expiresAt()), invite.joinRequestId());
        }
    }

    /** The invite with its code: the only answer that ever carries the code. */
    record MintedInviteView(String id, String state, String createdAt, String expiresAt, String code) {

        static MintedInviteView of(MintedInvite minted) {
            Invite invite = minted.invite();
            return new MintedInviteView(invite.id(), invite.state().name(), text(invite.createdAt()),
                    text(invite.expiresAt()), minted.code());
        }
    }

    record MemberView(String id, String accountHandle, String role, String state, String createdAt,
            String updatedAt) {

        static MemberView of(Member member) {
            return new MemberView(member.id(), member.accountHandle(), member.role(), member.state().name(),
                    text(member.createdAt()), text(member.updatedAt()));
        }
    }

    record DeviceView(String id, String memberId, String handle, String fingerprint, String trust, String createdAt,
            String updatedAt, String replacedBy) {

        static DeviceView of(Device device) {
            return new DeviceView(device.id(), device.memberId(), device.handle(), device.fingerprint(),
                    device.trust().name(), text(device.createdAt()), text(device.updatedAt()), device.replacedBy());
        }
    }

    record SessionView(String id, String memberId, String deviceId, String createdAt, String expiresAt) {

        static SessionView of(Session session) {
            return new SessionView(session.id(), session.memberId(), session.deviceId(), text(session.createdAt()),
                    text(session.expiresAt()));
        }
    }

    record ChallengeView(String nonce, String expiresAt) {

        static ChallengeView of(SessionChallenge challenge) {
            return new ChallengeView(challenge.nonce(), text(challenge.expiresAt()));
        }
    }
}
