package io.enigm.server.http.internal;

import java.util.List;

import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.http.internal.Views.PageView;
import io.enigm.server.membership.DirectoryEntry;
import io.enigm.server.membership.MemberDirectory;
import io.enigm.server.membership.SessionPrincipal;
import io.enigm.server.membership.SessionTokens;

/** The member directory a member's device reads with its session token, under the environment's visibility rules. */
final class DirectoryRoutes {

    private final SessionTokens sessions;
    private final MemberDirectory directory;

    DirectoryRoutes(SessionTokens sessions, MemberDirectory directory) {
        this.sessions = sessions;
        this.directory = directory;
    }

    record DirectoryEntryView(String memberId, String displayName) {

        static DirectoryEntryView of(DirectoryEntry entry) {
            return new DirectoryEntryView(entry.memberId(), entry.displayName());
        }
    }

    List<Route> routes() {
        return List.of(new Route("GET", "/environments/{env}/directory", "directory.list",
                Access.provenBy(CallerProof.SESSION_TOKEN),
                new Operation("List the environment's other active members, with display names only where the"
                        + " environment's visibility rules show them; refused while the rules keep the directory"
                        + " closed", null, 200, "DirectoryPage", List.of("cursor", "limit")),
                this::list));
    }

    private Reply list(Call call) {
        String token = call.bearerToken();
        if (token == null) {
            throw ApiProblem.unauthorized("a live session token is required");
        }
        SessionPrincipal caller = sessions.authenticate(token, call.path("env"));
        return Reply.ok(PageView.of(directory.list(caller, call.path("env"), call.page()), DirectoryEntryView::of));
    }
}
