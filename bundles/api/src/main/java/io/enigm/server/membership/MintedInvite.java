package io.enigm.server.membership;

/**
 * A new invite and its code, which is shown this once.
 */
public record MintedInvite(Invite invite, String code) {
}
