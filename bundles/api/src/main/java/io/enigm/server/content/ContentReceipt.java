package io.enigm.server.content;

import java.time.Instant;

/**
 * The answer to a durable upload.
 *
 * @param id              the new object's id
 * @param expiresAt       when it expires
 * @param lifetimeClamped whether the requested lifetime was longer than the environment allows, and cut
 */
public record ContentReceipt(String id, Instant expiresAt, boolean lifetimeClamped) {
}
