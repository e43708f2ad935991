package io.enigm.server.membership.internal;

/** The nonces already used, each remembered until it expires: a second use of one is a replay. */
interface UsedNonces {

    /** Whether {@code nonce} was used. */
    boolean contains(String nonce);

    /**
     * Records the first use of {@code nonce}, live until {@code expiresAt}; of two uses of one nonce,
     * wherever they happen, only one gets {@code true}. Refused ({@code false}) too when no more
     * can be remembered.
     */
    boolean use(String nonce, long expiresAt, long now);

    /** How many are remembered, expired ones not yet swept included. */
    int size();
}
