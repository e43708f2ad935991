package io.enigm.server.metrics.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.enigm.server.home.DataHome;

/**
 * The metrics endpoint's own bearer token, {@code <home>/secrets/metrics-token}: written at the
 * first start (and again when the file is gone), and read again whenever the file changes, so that an operator rotates it by deleting or
 * replacing the file, with nothing restarted.
 */
final class MetricsToken {

    static final String SECRET = "metrics-token";

    private final DataHome home;
    private final Path file;
    private FileTime readAt;
    private byte[] expected;

    MetricsToken(DataHome home) {
        this.home = home;
        this.file = home.secrets().resolve(SECRET);
        current();
    }

    Path file() {
        return file;
    }

    /** Whether {@code authorization} is {@code Bearer} with the token; compared in constant time. */
    synchronized boolean admits(String authorization) {
        byte[] token = current();
        return authorization != null && MessageDigest.isEqual(authorization.strip()
                .getBytes(StandardCharsets.UTF_8), token);
    }

    private byte[] current() {
        FileTime modified = modified();
        if (expected == null || modified == null || !modified.equals(readAt)) {
            String token = home.readSecret(SECRET).map(content -> new String(content, StandardCharsets.UTF_8).strip())
                    .filter(read -> !read.isEmpty()).orElseGet(this::mint);
            expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
            readAt = modified();
        }
        return expected;
    }

    private String mint() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        home.writeSecret(SECRET, (token + "\n").getBytes(StandardCharsets.UTF_8));
        return token;
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
