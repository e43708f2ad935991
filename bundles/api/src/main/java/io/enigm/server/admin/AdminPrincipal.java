package io.enigm.server.admin;

/**
 * An authenticated administrator.
 *
 * @param tokenId       the token's id: the administrator's handle in the audit log
 * @param role          the token's role
 * @param environmentId the environment the token is scoped to, or {@code null} for the installation
 * @param label         the name given to the token when it was minted
 */
public record AdminPrincipal(String tokenId, AdminRole role, String environmentId, String label) {

    /** Whether this administrator's token is scoped to the whole installation. */
    public boolean isInstallationWide() {
        return environmentId == null;
    }

    /** Whether this administrator may act within {@code environmentId}, as far as its role allows. */
    public boolean reaches(String environmentId) {
        return isInstallationWide() || this.environmentId.equals(environmentId);
    }
}
