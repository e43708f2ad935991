package io.enigm.server.work;

import java.security.MessageDigest;

/**
 * The first answer to a creating request. Arrays are held as given: the answer is written once and
 * read back, never changed.
 *
 * @param requestHash SHA-256 of the request's body: a retry with another body is not a retry
 * @param status      the answer's status
 * @param location    its {@code Location}, or {@code null}
 * @param createdId   the id of what was created, or {@code null}
 * @param body        the answer's JSON body, or {@code null} when it held a secret shown only once
 */
public record RememberedAnswer(byte[] requestHash, int status, String location, String createdId, byte[] body) {

    /** Whether {@code hash} is the hash of the request this answered. */
    public boolean answers(byte[] hash) {
        return MessageDigest.isEqual(requestHash, hash);
    }
}
