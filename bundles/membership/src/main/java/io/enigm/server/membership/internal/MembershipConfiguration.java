package io.enigm.server.membership.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about joining. Defaults are safe for a public join endpoint. */
@ObjectClassDefinition(name = "Enigm Server joining",
        description = "Join requests and invite codes: lifetimes, the bound of the pending queue and the"
                + " minimum answer time that hides whether a server ID exists.")
public @interface MembershipConfiguration {

    String PID = "io.enigm.server.membership";

    @AttributeDefinition(name = "Join request lifetime (hours)",
            description = "A request not decided within this time expires. 1 to 720.")
    int joinRequestTtlHours() default 72;

    @AttributeDefinition(name = "Pending requests per environment",
            description = "Requests beyond this many pending ones in one environment are refused with 429."
                    + " 1 to 100000.")
    int maxPendingJoinRequests() default 500;

    @AttributeDefinition(name = "Minimum join answer time (ms)",
            description = "Every join submission is answered no sooner than this. A known server ID is answered"
                    + " after the durable commit that stores its request, an unknown one without a commit; a floor"
                    + " above the commit time (a few milliseconds) hides the difference. The wait holds no thread."
                    + " 0 to 2000.")
    int joinAnswerFloorMillis() default 25;

    @AttributeDefinition(name = "Default invite lifetime (hours)",
            description = "How long an invite code works when the administrator names no lifetime.")
    int inviteTtlHours() default 168;

    @AttributeDefinition(name = "Longest invite lifetime (hours)",
            description = "No invite code works longer than this. At least the default lifetime.")
    int maxInviteTtlHours() default 720;
}
