package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.MEMBERSHIP_ADMIN;
import static io.enigm.server.admin.AdminRole.OWNER;

import java.util.List;

import io.enigm.server.http.internal.MembershipRequests.UpdateMember;
import io.enigm.server.http.internal.MembershipViews.MemberView;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.http.internal.Views.PageView;
import io.enigm.server.membership.AccountClosure;
import io.enigm.server.membership.MemberChanges;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.Members;

/** Members: list, get, change role or state, remove, close an account. */
final class MembershipRoutes {

    private final Members members;
    private final AccountClosure closures;

    MembershipRoutes(Members members, AccountClosure closures) {
        this.members = members;
        this.closures = closures;
    }

    List<Route> routes() {
        Access membershipAdmins = Access.environment(OWNER, ADMINISTRATOR, MEMBERSHIP_ADMIN);
        return List.of(
                new Route("GET", "/environments/{env}/members", "member.list", membershipAdmins,
                        new Operation("List an environment's members", null, 200, "MemberPage",
                                List.of("state", "role", "cursor", "limit")),
                        this::list),
                new Route("GET", "/environments/{env}/members/{member}", "member.get", membershipAdmins,
                        new Operation("Get a member", null, 200, "Member", List.of()),
                        call -> Reply.ok(MemberView.of(members.get(call.path("env"), call.path("member"))))),
                new Route("PATCH", "/environments/{env}/members/{member}", "member.update", membershipAdmins,
                        new Operation("Change a member's role or state (suspension closes its sessions)",
                                "UpdateMember", 200, "Member", List.of()),
                        this::update),
                new Route("DELETE", "/environments/{env}/members/{member}", "member.remove", membershipAdmins,
                        new Operation("Remove a member: its sessions are closed and devices revoked at once", null,
                                204, null, List.of()),
                        this::remove),
                new Route("POST", "/environments/{env}/members/{member}/closure", "member.close", membershipAdmins,
                        new Operation("Close a member's account: remove it and erase its personal records and the"
                                + " content it sent; needs the critical-operation PIN in X-Enigm-Confirm", null, 200,
                                "Member", List.of(Route.CONFIRM_HEADER)),
                        this::close));
    }

    private Reply list(Call call) {
        MemberState state = MembershipRequests.constant("state", call.query("state"), MemberState.class);
        return Reply.ok(PageView.of(members.list(call.path("env"), state, call.query("role"), call.page()),
                MemberView::of));
    }

    private Reply update(Call call) {
        UpdateMember request = call.body(UpdateMember.class);
        call.target(call.path("member"));
        // bad input is refused as such before the member is looked up
        MemberChanges changes = new MemberChanges(request.role(),
                MembershipRequests.constant("state", request.state(), MemberState.class));
        MemberView before = MemberView.of(members.get(call.path("env"), call.path("member")));
        MemberView after = MemberView.of(members.update(call.path("env"), call.path("member"), changes));
        // role and state only: the member's account handle is an identifier, never audited
        call.changed(before, after, List.of("role", "state"));
        return Reply.ok(after);
    }

    private Reply close(Call call) {
        call.target(call.path("member"));
        return Reply.ok(MemberView.of(closures.close(call.path("env"), call.path("member"),
                call.header(Route.CONFIRM_HEADER))));
    }

    private Reply remove(Call call) {
        call.target(call.path("member"));
        members.remove(call.path("env"), call.path("member"));
        return Reply.noContent();
    }
}
