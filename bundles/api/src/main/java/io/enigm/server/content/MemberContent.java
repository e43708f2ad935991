package io.enigm.server.content;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The member's side of content: every call carries the device's session bearer token, is refused
 * once that session, its device or its member no longer stands, and is decided by the
 * environment's policy with the surface as the resource category.
 */
@ProviderType
public interface MemberContent {

    /**
     * Streams the ciphertext into the store and stores its metadata once the bytes are durable.
     *
     * @return completes once the object and its audit record are durable
     * @throws io.enigm.server.common.AuthenticationFailedException no live session of this environment (401)
     * @throws io.enigm.server.common.AccessDeniedException the policy refused (403 or 401 step-up)
     * @throws io.enigm.server.common.ForbiddenException the surface is disabled in the environment (403)
     * @throws io.enigm.server.common.TooLargeException the bytes exceed the configured maximum (413); nothing is stored
     * @throws io.enigm.server.common.InvalidRequestException an unknown recipient or a lifetime below one second (422)
     */
    CompletableFuture<ContentReceipt> upload(String token, String environmentId, ContentUpload upload,
            InputStream ciphertext);

    /**
     * An unexpired object the member sent or receives.
     *
     * @throws io.enigm.server.common.NotFoundException no such object for this member (404)
     */
    ContentRead read(String token, String environmentId, String objectId);

    /**
     * The unexpired objects the member sent or receives that were stored after {@code since}.
     *
     * @param since a cursor from an earlier feed, or {@code null} from the beginning
     * @param limit at most this many items, 1 to {@link io.enigm.server.common.Page#MAX_LIMIT}
     */
    ContentFeed list(String token, String environmentId, String since, int limit);

    /**
     * Follows the objects the member may see as they are stored: first those stored after
     * {@code since}, then each new one, ids only. The session is checked again at every sign of
     * life; once it no longer stands, the listener is told the subscription ended.
     *
     * @param since a cursor to resume after (an SSE {@code Last-Event-ID}), or {@code null} for only
     *              what is stored from now on
     * @throws io.enigm.server.common.AuthenticationFailedException no live session of this environment (401)
     */
    ContentSubscription follow(String token, String environmentId, String since, ContentListener listener);

    /**
     * Deletes an object the member sent: it vanishes at once and its bytes are erased.
     *
     * @throws io.enigm.server.common.NotFoundException no such object sent by this member (404)
     */
    void delete(String token, String environmentId, String objectId);
}
