package io.enigm.server.policy;

import java.time.Instant;

/**
 * One version of an environment's policy.
 *
 * @param environmentId the environment
 * @param version       1, 2, … ; 0 for the built-in default before any was put
 * @param document      the policy document (JSON, format in docs/policy.md)
 * @param author        the handle of the administrator who put it
 * @param createdAt     when it was put
 */
public record PolicyVersion(String environmentId, long version, String document, String author, Instant createdAt) {
}
