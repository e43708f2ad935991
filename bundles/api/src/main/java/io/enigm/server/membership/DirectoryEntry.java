package io.enigm.server.membership;

/**
 * Another member as a member's device may see it in the directory.
 *
 * @param memberId    the member's id
 * @param displayName the name the member chose when joining, or {@code null} when it chose none or
 *                    the environment's visibility rules do not show display names
 */
public record DirectoryEntry(String memberId, String displayName) {
}
