package io.enigm.server.membership;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a member's device may list about the other members of its environment, as the
 * environment's {@link io.enigm.server.environment.VisibilityRules} allow. Administrators' views
 * ({@link Members}) do not depend on these rules.
 */
@ProviderType
public interface MemberDirectory {

    /**
     * The environment's other {@link MemberState#ACTIVE} members, in order of joining; display names
     * only where the rules show them.
     *
     * @param caller the authenticated device's session ({@link SessionTokens#authenticate})
     * @throws io.enigm.server.common.NotFoundException if the environment is not the caller's
     * @throws io.enigm.server.common.ForbiddenException if the rules keep the directory closed
     */
    Page<DirectoryEntry> list(SessionPrincipal caller, String environmentId, PageRequest page);
}
