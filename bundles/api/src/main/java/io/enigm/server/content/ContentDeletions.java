package io.enigm.server.content;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Deletion of a member's or an environment's content, as jobs: the objects a job covers (those
 * stored before it started) vanish from every answer at once; their rows and bytes are erased in
 * bounded chunks afterwards, also after a restart, and the completed job carries a
 * {@link DeletionReceipt}. Objects stored after the start are not covered. Nothing here names or
 * returns what was deleted, only counts.
 */
@ProviderType
public interface ContentDeletions {

    /**
     * Starts a deletion job. Called inside a {@link io.enigm.server.store.Database} transaction under
     * way, it joins that transaction (as the store's transactions do): the job and the covered
     * objects' disappearance commit or roll back with the caller's own change, for example a
     * member's account closure.
     *
     * @param memberId        the member whose content to delete, for scope {@code MEMBER}; {@code null} for {@code ALL}
     * @param confirmationPin the critical-operation PIN, required for scope {@code ALL}
     * @throws io.enigm.server.common.InvalidRequestException scope missing, {@code MEMBER} without a
     *         member, or {@code ALL} with one (422)
     * @throws io.enigm.server.common.NotFoundException no such environment (404)
     * @throws io.enigm.server.common.ForbiddenException scope {@code ALL} without the right PIN (403)
     * @throws io.enigm.server.environment.LegalHeldException while a legal hold covers the environment,
     *         or for {@code MEMBER} the member, or for {@code ALL} any member of the environment (409)
     */
    DeletionJob start(String environmentId, DeletionScope scope, String memberId, String confirmationPin);

    /**
     * A job of the environment: its progress, and its receipt once completed.
     *
     * @throws io.enigm.server.common.NotFoundException no such job in this environment (404)
     */
    DeletionJob get(String environmentId, String jobId);
}
