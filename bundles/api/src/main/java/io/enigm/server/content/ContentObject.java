package io.enigm.server.content;

import java.time.Instant;
import java.util.Set;

import io.enigm.server.environment.Surface;

/**
 * What the server knows of one encrypted object: everything but its bytes, which it cannot read.
 * Shown only to members who may see the object.
 *
 * @param id             opaque identifier
 * @param environmentId  the environment it belongs to
 * @param senderMemberId the member whose device uploaded it
 * @param surface        the surface it was sent on
 * @param recipients     the members it is for; empty when it is for every member of the environment
 * @param size           its length in bytes
 * @param createdAt      when it was stored
 * @param expiresAt      when it vanishes from every answer
 * @param etag           a strong entity tag: the SHA-256 of the ciphertext, Base64url without padding
 */
public record ContentObject(String id, String environmentId, String senderMemberId, Surface surface,
        Set<String> recipients, long size, Instant createdAt, Instant expiresAt, String etag) {

    public ContentObject {
        recipients = Set.copyOf(recipients);
    }
}
