package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.MEMBERSHIP_ADMIN;
import static io.enigm.server.admin.AdminRole.OWNER;

import java.time.Duration;
import java.util.List;

import io.enigm.server.http.internal.MembershipRequests.ApproveJoinRequest;
import io.enigm.server.http.internal.MembershipRequests.CreateInvite;
import io.enigm.server.http.internal.MembershipRequests.SubmitJoinRequest;
import io.enigm.server.http.internal.MembershipViews.InviteView;
import io.enigm.server.http.internal.MembershipViews.JoinReceiptView;
import io.enigm.server.http.internal.MembershipViews.JoinRequestView;
import io.enigm.server.http.internal.MembershipViews.JoinStatusView;
import io.enigm.server.http.internal.MembershipViews.MintedInviteView;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.http.internal.Views.PageView;
import io.enigm.server.membership.Invites;
import io.enigm.server.membership.JoinRequestState;
import io.enigm.server.membership.JoinRequests;
import io.enigm.server.membership.JoinSubmission;

/**
 * Joining: the device's public join flow (signed by its key, checked by the service) and the
 * membership administrators' review and invites.
 */
final class JoinRequestRoutes {

    static final String SIGNATURE_HEADER = "X-Enigm-Signature";

    private final JoinRequests joinRequests;
    private final Invites invites;

    JoinRequestRoutes(JoinRequests joinRequests, Invites invites) {
        this.joinRequests = joinRequests;
        this.invites = invites;
    }

    List<Route> routes() {
        Access membershipAdmins = Access.environment(OWNER, ADMINISTRATOR, MEMBERSHIP_ADMIN);
        return List.of(
                new Route("POST", "/join-requests", "join-request.submit", Access.anyone(),
                        new Operation("Ask to join the environment behind a server ID", "SubmitJoinRequest", 202,
                                "JoinReceipt", List.of()),
                        this::submit),
                new Route("GET", "/join-requests/{request}", "join-request.follow",
                        Access.provenBy(CallerProof.DEVICE_SIGNATURE_HEADER),
                        new Operation("Follow a join request (signed by the requesting device)", null, 200,
                                "JoinStatus", List.of()),
                        this::follow),
                new Route("DELETE", "/join-requests/{request}", "join-request.cancel",
                        Access.provenBy(CallerProof.DEVICE_SIGNATURE_HEADER),
                        new Operation("Cancel a pending join request (signed by the requesting device)", null, 204,
                                null, List.of()),
                        this::cancel),
                new Route("GET", "/environments/{env}/join-requests", "join-request.list", membershipAdmins,
                        new Operation("List an environment's join requests in one state", null, 200,
                                "JoinRequestPage", List.of("state", "cursor", "limit")),
                        this::list),
                new Route("POST", "/environments/{env}/join-requests/{request}/approve", "join-request.approve",
                        membershipAdmins,
                        new Operation("Approve a pending join request with the device fingerprint compared",
                                "ApproveJoinRequest", 200, "JoinRequest", List.of()),
                        this::approve),
                new Route("POST", "/environments/{env}/join-requests/{request}/reject", "join-request.reject",
                        membershipAdmins,
                        new Operation("Reject a pending join request", null, 200, "JoinRequest", List.of()),
                        this::reject),
                new Route("POST", "/environments/{env}/invites", "invite.create", membershipAdmins,
                        new Operation("Mint a single-use invite code (shown once)", "CreateInvite", 201,
                                "MintedInvite", List.of()),
                        this::createInvite).idempotent(Route.Idempotency.SECRET_SHOWN_ONCE),
                new Route("GET", "/environments/{env}/invites", "invite.list", membershipAdmins,
                        new Operation("List an environment's invites (never their codes)", null, 200, "InvitePage",
                                List.of("cursor", "limit")),
                        call -> Reply.ok(PageView.of(invites.list(call.path("env"), call.page()), InviteView::of))),
                new Route("DELETE", "/environments/{env}/invites/{invite}", "invite.revoke", membershipAdmins,
                        new Operation("Revoke an unused invite", null, 204, null, List.of()),
                        this::revokeInvite));
    }

    private Reply submit(Call call) {
        SubmitJoinRequest request = call.body(SubmitJoinRequest.class);
        return Reply.whenDurable(joinRequests.submit(new JoinSubmission(request.serverId(), request.accountHandle(),
                request.devicePublicKey(), request.displayName(), request.inviteCode()))
                .thenApply(receipt -> new Reply(202, JoinReceiptView.of(receipt), null)));
    }

    private Reply follow(Call call) {
        return Reply.ok(JoinStatusView.of(joinRequests.follow(call.path("request"), call.header(SIGNATURE_HEADER))));
    }

    private Reply cancel(Call call) {
        joinRequests.cancel(call.path("request"), call.header(SIGNATURE_HEADER));
        return Reply.noContent();
    }

    private Reply list(Call call) {
        String state = call.query("state");
        JoinRequestState wanted = state == null ? JoinRequestState.PENDING
                : MembershipRequests.constant("state", state, JoinRequestState.class);
        return Reply.ok(PageView.of(joinRequests.list(call.path("env"), wanted, call.page()), JoinRequestView::of));
    }

    private Reply approve(Call call) {
        String id = call.path("request");
        call.target(id);
        ApproveJoinRequest request = call.body(ApproveJoinRequest.class);
        return Reply.ok(JoinRequestView.of(joinRequests.approve(call.path("env"), id, request.deviceFingerprint())));
    }

    private Reply reject(Call call) {
        String id = call.path("request");
        call.target(id);
        return Reply.ok(JoinRequestView.of(joinRequests.reject(call.path("env"), id)));
    }

    private Reply createInvite(Call call) {
        CreateInvite request = call.body(CreateInvite.class);
        MintedInviteView minted = MintedInviteView.of(invites.create(call.path("env"),
                request.ttlSeconds() == null ? null : Duration.ofSeconds(request.ttlSeconds()), call.principal()));
        call.target(minted.id());
        return Reply.created("/environments/" + call.path("env") + "/invites/" + minted.id(), minted);
    }

    private Reply revokeInvite(Call call) {
        call.target(call.path("invite"));
        invites.revoke(call.path("env"), call.path("invite"));
        return Reply.noContent();
    }
}
