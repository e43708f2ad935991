package io.enigm.server.membership;

import java.time.Instant;

/** A single-use nonce for one device to sign, valid until {@code expiresAt}. */
public record SessionChallenge(String nonce, Instant expiresAt) {
}
