package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.OWNER;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.environment.LegalHold;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.http.internal.Route.Operation;

/**
 * Legal holds on an environment or one of its members: the owner places and lifts them with the
 * critical-operation PIN. The reason stays in the hold; the audit record names only the subject.
 */
final class LegalHoldRoutes {

    private static final String ENVIRONMENT = "/environments/{env}/legal-hold";
    private static final String MEMBER = "/environments/{env}/members/{member}/legal-hold";

    private final LegalHolds holds;

    LegalHoldRoutes(LegalHolds holds) {
        this.holds = holds;
    }

    List<Route> routes() {
        return List.of(
                new Route("PUT", ENVIRONMENT, "environment.legal-hold.place", Access.environment(OWNER),
                        new Operation("Place (or replace) a legal hold on the environment: nothing of it is deleted"
                                + " while the hold lasts; needs the critical-operation PIN in X-Enigm-Confirm",
                                "PlaceLegalHold", 200, "LegalHold", List.of(Route.CONFIRM_HEADER)),
                        this::place),
                new Route("DELETE", ENVIRONMENT, "environment.legal-hold.lift", Access.environment(OWNER),
                        new Operation("Lift the environment's legal hold; needs the critical-operation PIN in"
                                + " X-Enigm-Confirm", null, 204, null, List.of(Route.CONFIRM_HEADER)),
                        this::lift),
                new Route("PUT", MEMBER, "member.legal-hold.place", Access.environment(OWNER),
                        new Operation("Place (or replace) a legal hold on one member: none of the member's data is"
                                + " deleted while the hold lasts; needs the critical-operation PIN in X-Enigm-Confirm",
                                "PlaceLegalHold", 200, "LegalHold", List.of(Route.CONFIRM_HEADER)),
                        this::place),
                new Route("DELETE", MEMBER, "member.legal-hold.lift", Access.environment(OWNER),
                        new Operation("Lift a member's legal hold; needs the critical-operation PIN in"
                                + " X-Enigm-Confirm", null, 204, null, List.of(Route.CONFIRM_HEADER)),
                        this::lift));
    }

    /** {@code PUT …/legal-hold}: {@code until} is an ISO-8601 instant, absent for a hold until lifted. */
    record PlaceLegalHold(String reason, String until) {

        Instant end() {
            if (until == null) {
                return null;
            }
            try {
                return Instant.parse(until);
            } catch (DateTimeException e) {
                throw new InvalidRequestException("until", "must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
            }
        }
    }

    record LegalHoldView(String environmentId, String memberId, String reason, String placedAt, String until) {

        static LegalHoldView of(LegalHold hold) {
            return new LegalHoldView(hold.environmentId(), hold.memberId(), hold.reason(), hold.placedAt().toString(),
                    hold.until() == null ? null : hold.until().toString());
        }
    }

    private Reply place(Call call) {
        PlaceLegalHold request = call.body(PlaceLegalHold.class);
        String member = subject(call);
        return Reply.ok(LegalHoldView.of(holds.place(call.path("env"), member, request.reason(), request.end(),
                call.header(Route.CONFIRM_HEADER))));
    }

    private Reply lift(Call call) {
        holds.lift(call.path("env"), subject(call), call.header(Route.CONFIRM_HEADER));
        return Reply.noContent();
    }

    /** The member held, named as the audit record's target; {@code null} for the environment's own hold. */
    private static String subject(Call call) {
        String member = call.path("member");
        if (member != null) {
            call.target(member);
        }
        return member;
    }
}
