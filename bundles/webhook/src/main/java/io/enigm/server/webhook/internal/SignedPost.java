package io.enigm.server.webhook.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs a batch with its signature: {@code X-Enigm-Signature: t=<unix seconds>,v1=<hex>}, where
 * {@code v1} is HMAC-SHA256 under the installation's webhook key over {@code <t>.<body>}. The
 * timestamp is signed too, so a receiver that refuses old timestamps cannot be replayed an old batch.
 */
final class SignedPost {

    static final String SIGNATURE_HEADER = "X-Enigm-Signature";
    static final String BATCH_HEADER = "X-Enigm-Batch";

    private final HttpClient client;
    private final byte[] key;
    private final Duration timeout;

    SignedPost(byte[] key, Duration timeout) {
        this.key = key.clone();
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static String signature(byte[] key, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /** Sends the batch; empty when a receiver took it (2xx), else why it failed, in a few words. */
    Optional<String> send(String url, String batchId, String body, long epochSeconds) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(BATCH_HEADER, batchId)
                .header(SIGNATURE_HEADER, signature(key, epochSeconds, body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? Optional.empty() : Optional.of("HTTP " + status);
        } catch (HttpTimeoutException e) {
            return Optional.of("TIMEOUT");
        } catch (ConnectException e) {
            return Optional.of("CONNECTION_REFUSED");
        } catch (IOException e) {
            return Optional.of("IO_ERROR");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("INTERRUPTED");
        }
    }
}
