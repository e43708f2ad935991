package io.enigm.server.environment;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Legal holds on an environment or on one of its members. Placing and lifting need the
 * critical-operation PIN. A subject has at most one hold: placing again replaces it.
 */
@ProviderType
public interface LegalHolds {

    /**
     * Places a hold on the environment ({@code memberId} {@code null}) or on one of its members.
     *
     * @param until           when the hold ends by itself, or {@code null} for a hold until lifted
     * @param confirmationPin the critical-operation PIN
     * @throws io.enigm.server.common.InvalidRequestException if the reason is missing or too long, or
     *         {@code until} is not in the future
     * @throws io.enigm.server.common.NotFoundException if there is no such environment or member in it
     * @throws io.enigm.server.common.ConflictException if the environment is already DELETED
     * @throws io.enigm.server.common.ForbiddenException if the PIN is missing or wrong
     * @throws io.enigm.server.common.RateLimitedException while PIN attempts are locked out
     */
    LegalHold place(String environmentId, String memberId, String reason, Instant until, String confirmationPin);

    /**
     * Lifts the hold on the environment ({@code memberId} {@code null}) or on one of its members.
     *
     * @throws io.enigm.server.common.NotFoundException if no such hold was placed (an ended one is
     *         still lifted)
     * @throws io.enigm.server.common.ForbiddenException if the PIN is missing or wrong
     * @throws io.enigm.server.common.RateLimitedException while PIN attempts are locked out
     */
    void lift(String environmentId, String memberId, String confirmationPin);

    /**
     * The hold that keeps a deletion from happening now. For one member's data ({@code memberId}
     * given): the environment's hold, else the member's. For the whole environment's data
     * ({@code memberId} {@code null}): the environment's hold, else any of its members' holds, since
     * such a deletion takes every member's data with it. Ended holds cover nothing.
     */
    Optional<LegalHold> holdCovering(String environmentId, String memberId);
}
