package io.enigm.server.admin;

/**
 * Administrative roles. {@link #OWNER} holds the installation; {@link #SECURITY_REVIEWER} is held
 * within one environment or, read-only, for the whole installation; every other role is held within
 * one environment. Administrative authority is lifecycle authority, never cryptographic authority.
 */
public enum AdminRole {
    OWNER,
    ADMINISTRATOR,
    MEMBERSHIP_ADMIN,
    DEVICE_ADMIN,
    POLICY_ADMIN,
    CONTENT_ADMIN,
    SECURITY_REVIEWER;

    /**
     * Whether a holder of this role may mint a token of {@code other}: equal or lower reach only.
     * The owner grants any role; an environment's administrator grants any role of the environment.
     */
    public boolean mayGrant(AdminRole other) {
        return switch (this) {
            case OWNER -> true;
            case ADMINISTRATOR -> other != OWNER;
            default -> false;
        };
    }

    /** Whether every token of this role is scoped to the whole installation. */
    public boolean isInstallationWide() {
        return this == OWNER;
    }

    /** Whether a token of this role may be scoped to the whole installation rather than one environment. */
    public boolean mayBeInstallationWide() {
        return this == OWNER || this == SECURITY_REVIEWER;
    }
}
