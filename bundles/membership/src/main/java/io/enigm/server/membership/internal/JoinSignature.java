package io.enigm.server.membership.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.enigm.server.common.AuthenticationFailedException;

/**
 * The requesting device's {@code X-Enigm-Signature: <unix seconds>.<Base64 Ed25519 signature>} over
 * {@code enigm-join-v1\n<request id>\n<method>\n<unix seconds>}, accepted within 60 seconds of the
 * server's clock: a signature is bound to its request, its method and its moment.
 */
record JoinSignature(long seconds, byte[] signature) {

    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Pattern HEADER = Pattern.compile("(\\d{1,12})\\.([A-Za-z0-9+/=]{1,128})");

    /** The header's parts, once it is well formed and its time is within the window of {@code now}. */
    static JoinSignature parse(String header, Instant now) {
        Matcher matcher = header == null ? null : HEADER.matcher(header);
        if (matcher == null || !matcher.matches()) {
            throw new AuthenticationFailedException("X-Enigm-Signature must be <unix seconds>.<Base64 signature>");
        }
        long seconds = Long.parseLong(matcher.group(1));
        if (Math.abs(now.getEpochSecond() - seconds) > WINDOW.toSeconds()) {
            throw new AuthenticationFailedException("the signature's time is not within 60 seconds of the server's");
        }
        return new JoinSignature(seconds, DeviceKeys.signature(matcher.group(2)));
    }

    /** Refuses unless the device key {@code signingKey} signed this request, method and moment. */
    void verify(byte[] signingKey, String requestId, String method) {
        String message = "enigm-join-v1\n" + requestId + "\n" + method + "\n" + seconds;
        if (signature == null || !DeviceKeys.verifies(signingKey, message, signature)) {
            throw new AuthenticationFailedException("the signature is not the requesting device's");
        }
    }
}
