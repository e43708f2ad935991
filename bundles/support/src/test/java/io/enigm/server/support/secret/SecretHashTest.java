package io.enigm.server.support.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class SecretHashTest {

    @Test
    void derivesPbkdf2HmacSha256AsPublished() {
        // RFC 7914, section 11: PBKDF2-HMAC-SHA256, P = "passwd", S = "salt", c = 1; its first 32 bytes
        SecretHash published = new SecretHash(1, "salt".getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().parseHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"));
        assertTrue(published.matches("passwd".toCharArray()));
        assertFalse(published.matches("passwe".toCharArray()));
        assertFalse(published.matches(new char[0]));
    }

    @Test
    void aNewHashHasItsOwnSaltAndCount() {
        SecureRandom random = new SecureRandom();
        SecretHash first = SecretHash.of("424242".toCharArray(), random, 1000);
        SecretHash second = SecretHash.of("424242".toCharArray(), random, 1000);
        assertEquals(16, first.salt().length);
        assertEquals(32, first.hash().length);
        assertEquals(1000, first.iterations());
        assertFalse(Arrays.equals(first.salt(), second.salt()));
        assertFalse(Arrays.equals(first.hash(), second.hash()), "one secret, unrelated hashes");
        assertTrue(first.matches("424242".toCharArray()));
        assertTrue(second.matchesDerivation(second.derive("424242".toCharArray())));
        assertFalse(first.matchesDerivation(second.derive("424242".toCharArray())));
    }

    @Test
    void whatIsStoredVerifiesAgainAndCallersCannotChangeIt() {
        SecretHash made = SecretHash.of("secret".toCharArray(), new SecureRandom(), 1000);
        byte[] salt = made.salt();
        byte[] hash = made.hash();
        SecretHash stored = new SecretHash(made.iterations(), salt, hash);
        salt[0] ^= 1;
        hash[0] ^= 1;
        made.salt()[1] ^= 1;
        assertTrue(stored.matches("secret".toCharArray()));
        assertTrue(made.matches("secret".toCharArray()));
    }
}
