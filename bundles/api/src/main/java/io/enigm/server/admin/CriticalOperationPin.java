package io.enigm.server.admin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The installation's critical-operation PIN: six digits, stored as a slow salted hash, checked on
 * the server, locked out for a growing time after repeated failures. Every failure is audited.
 */
@ProviderType
public interface CriticalOperationPin {

    /**
     * Sets the PIN, or changes it when one is set.
     *
     * @param currentPin required when a PIN is already set
     * @throws io.enigm.server.common.InvalidRequestException if {@code pin} is not six digits
     * @throws io.enigm.server.common.ForbiddenException if {@code currentPin} is wrong
     * @throws io.enigm.server.common.RateLimitedException while attempts are locked out
     */
    void set(String pin, String currentPin);

    /**
     * Does the slow part of {@link #set} now, on the calling thread: derives the new PIN's hash and
     * the current PIN's candidate, so that the write transaction that then applies the change does
     * not hold the database's one writer for a derivation. The change applies with the checks of
     * {@link #set}; applied after the PIN changed meanwhile, it checks the current PIN again.
     *
     * @throws io.enigm.server.common.InvalidRequestException if {@code pin} is not six digits
     */
    PinChange prepareSet(String pin, String currentPin);

    /** A change of the PIN derived ahead of its write, from {@link #prepareSet}. */
    @FunctionalInterface
    interface PinChange {

        /** Checks the current PIN and stores the new one, with the failures and errors of {@link #set}. */
        void apply();
    }

    /**
     * Confirms a critical operation.
     *
     * @throws io.enigm.server.common.ForbiddenException if no PIN is set or the PIN is wrong
     * @throws io.enigm.server.common.RateLimitedException while attempts are locked out
     */
    void verify(String pin);

    /**
     * Derives the slow hash of a candidate PIN now, on the calling thread, ahead of the write
     * transaction whose {@link #verify} will compare it: derivation takes a good fraction of a second
     * and must not hold the database's one writer. Counts nothing and refuses nothing; a candidate
     * not prepared, or prepared too long ago, is derived by {@link #verify} itself.
     */
    void prepare(String pin);
}
