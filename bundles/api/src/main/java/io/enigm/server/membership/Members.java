package io.enigm.server.membership;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/** An environment's members. Suspension and removal close the member's sessions at once. */
@ProviderType
public interface Members {

    /**
     * Members in order of joining, keyset-paged.
     *
     * @param state only members in this state, or {@code null} for all
     * @param role  only members with this role, or {@code null} for all
     */
    Page<Member> list(String environmentId, MemberState state, String role, PageRequest page);

    Member get(String environmentId, String memberId);

    /**
     * Changes role or state.
     *
     * @throws io.enigm.server.common.ConflictException naming the current state if the transition is
     *         not allowed
     */
    Member update(String environmentId, String memberId, MemberChanges changes);

    /**
     * Removes the member: its sessions are closed and its devices revoked at once. Content already
     * delivered to its devices cannot be recalled.
     */
    Member remove(String environmentId, String memberId);
}
