package io.enigm.server.membership;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Closing a member's account: more than removal, the erasure of what the environment keeps about
 * the person. The audit records keep naming the member and its devices by their opaque ids only,
 * so the audit chain stays as it was and still verifies.
 */
@ProviderType
public interface AccountClosure {

    /**
     * Removes the member as {@link Members#remove} does (sessions closed, devices revoked) and, in the
     * same transaction, erases its personal records — account handle, display name, device keys, key
     * handles and fingerprints, the details of its join requests — and what every registered
     * {@link MemberData} keeps of it (the content it sent, its devices' attestations). A removed
     * member's account can still be closed.
     *
     * @param confirmationPin the critical-operation PIN
     * @throws io.enigm.server.common.NotFoundException no such member in the environment (404)
     * @throws io.enigm.server.common.ForbiddenException the PIN is missing or wrong (403)
     * @throws io.enigm.server.environment.LegalHeldException a legal hold covers the environment or the
     *         member (409); nothing is erased
     */
    Member close(String environmentId, String memberId, String confirmationPin);
}
