package io.enigm.server.membership.internal;

import java.time.Duration;

/** The configuration checked once: a component refuses to start on values outside their range. */
record Configured(Duration joinRequestTtl, int maxPendingJoinRequests, Duration joinAnswerFloor,
        Duration inviteTtl, Duration maxInviteTtl) {

    static Configured of(MembershipConfiguration configuration) {
        require(configuration.joinRequestTtlHours(), 1, 720, "joinRequestTtlHours");
        require(configuration.maxPendingJoinRequests(), 1, 100_000, "maxPendingJoinRequests");
        require(configuration.joinAnswerFloorMillis(), 0, 2000, "joinAnswerFloorMillis");
        require(configuration.maxInviteTtlHours(), 1, 8760, "maxInviteTtlHours");
        require(configuration.inviteTtlHours(), 1, configuration.maxInviteTtlHours(), "inviteTtlHours");
        return new Configured(Duration.ofHours(configuration.joinRequestTtlHours()),
                configuration.maxPendingJoinRequests(), Duration.ofMillis(configuration.joinAnswerFloorMillis()),
                Duration.ofHours(configuration.inviteTtlHours()), Duration.ofHours(configuration.maxInviteTtlHours()));
    }

    private static void require(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
