package io.enigm.server.admin;

/**
 * Administrative roles. {@link #OWNER} holds the installation; every other role is held within one
 * environment. Administrative authority is lifecycle authority, never cryptographic authority.
 */
public enum AdminRole {
    OWNER,
    ADMINISTRATOR,
    MEMBERSHIP_ADMIN,
    DEVICE_ADMIN,
    POLICY_ADMIN,
    CONTENT_ADMIN,
    SECURITY_REVIEWER;

    /** Whether a token of this role is scoped to the whole installation. */
    public boolean isInstallationWide() {
        return this == OWNER;
    }
}
