package io.enigm.server.membership;

/**
 * Changes to a member; {@code null} leaves a field as it is.
 *
 * @param role  a role name: upper-case letters, digits and '_', up to 32 characters
 * @param state {@link MemberState#ACTIVE} or {@link MemberState#SUSPENDED}
 */
public record MemberChanges(String role, MemberState state) {
}
