package io.enigm.server.content.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.content.ContentReceipt;
import io.enigm.server.content.ContentUpload;
import io.enigm.server.work.IdempotentAnswers;
import io.enigm.server.work.RememberedAnswer;

/**
 * Uploads under a device's {@code Idempotency-Key}. The key is the device's, not the session's, so
 * a retry after the session was renewed still finds its first answer; it names a request by the
 * hash of its bytes and of everything the device stated about them, so the same key over other
 * bytes, another surface, other recipients or another lifetime is refused rather than answered.
 * Both calls run on the store's writer in the upload's transaction: concurrent retries are answered
 * one after the other, and only the first stores.
 */
final class IdempotentUploads {

    /** The first receipt, kept as the HTTP answer's JSON body like every remembered answer. */
    record RememberedReceipt(String id, String expiresAt, boolean lifetimeClamped) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IdempotentAnswers answers;

    IdempotentUploads(IdempotentAnswers answers) {
        this.answers = answers;
    }

    /** The key's first receipt, if this device used the key here within a day. */
    Optional<ContentReceipt> recall(String deviceId, String environmentId, ContentUpload upload, String etag) {
        return answers.recall(scope(deviceId, environmentId), upload.idempotencyKey()).map(first -> {
            if (!first.answers(hash(upload, etag))) {
                throw new InvalidRequestException("Idempotency-Key",
                        "was used within the last 24 hours for an upload of other bytes or statements");
            }
            try {
                RememberedReceipt receipt = JSON.readValue(first.body(), RememberedReceipt.class);
                return new ContentReceipt(receipt.id(), Instant.parse(receipt.expiresAt()),
                        receipt.lifetimeClamped());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Remembers the first receipt under the key, in the transaction that stores the object. */
    void remember(String deviceId, String environmentId, ContentUpload upload, String etag, ContentReceipt receipt) {
        try {
            byte[] body = JSON.writeValueAsBytes(new RememberedReceipt(receipt.id(), receipt.expiresAt().toString(),
                    receipt.lifetimeClamped()));
            answers.remember(scope(deviceId, environmentId), upload.idempotencyKey(), new RememberedAnswer(
                    hash(upload, etag), 201, "/environments/" + environmentId + "/content/" + receipt.id(),
                    receipt.id(), body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String scope(String deviceId, String environmentId) {
        return "device " + deviceId + " POST /environments/" + environmentId + "/content";
    }

    /** The bytes' digest and the statements about them, one per line, recipients in order. */
    private static byte[] hash(ContentUpload upload, String etag) {
        String statements = String.join("\n", etag, upload.surface().name(),
                String.join(",", upload.recipients().stream().sorted().toList()),
                upload.requestedLifetime() == null ? "" : Long.toString(upload.requestedLifetime().toSeconds()));
        MessageDigest sha = BlobStore.sha256();
        return sha.digest(statements.getBytes(StandardCharsets.UTF_8));
    }
}
