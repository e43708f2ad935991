package io.enigm.server.support.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static final String SALT = "000102030405060708090a0b0c0d0e0f";

    private static AuditChain.Entry entry(String environmentId, String salt) {
        return new AuditChain.Entry(1000, "tok1", "OWNER", environmentId, "environment.create", null, "ALLOWED", null,
                List.of(), salt);
    }

    /** The values docs/audit.md computes by hand with printf and sha256sum: the form must never drift from them. */
    @Test
    void hashesAsTheDocumentedRecipeDoes() {
        assertEquals("c45fbc730b037d4ee1fb731ce10e0e370d20403f27b3b111319915e1dfc401b0",
                AuditChain.hash(AuditChain.GENESIS_HASH, 1, entry(null, null)), "an unsalted record, from before salts");
        assertEquals("12e5ef238e8f9549350c260f4cbe6ad554347761b5d124a85264e92d305c4c53",
                AuditChain.entryDigest(entry(null, SALT)), "a salted record's entry digest");
        assertEquals("d01503b70127c57fde60e4ab744dd46e9e1ba8a57fb2cbab52f1a9087e37fd62",
                AuditChain.hash(AuditChain.GENESIS_HASH, 1, entry(null, SALT)), "a salted record's link");
    }

    /**
     * Text beyond ASCII is hashed as its UTF-8 bytes, counted in bytes (a lone surrogate as '?', as
     * String.getBytes writes it); the values are the ones the form gave before its ASCII shortcut.
     */
    @Test
    void hashesTextBeyondAsciiAsItsUtf8Bytes() {
        AuditChain.Entry entry = new AuditChain.Entry(1000, "Zo\u00eb \uD83D\uDE00", "OWNER", null,
                "environment.update", "caf\u00e9", "ALLOWED", null,
                List.of(new AuditChain.Change("name", "B\u00fcro \uD800", "Head office")), SALT);
        assertEquals("24cf5544220d4adc40d6f9885ae751efa1cf0f7aba2403cdcacaf1f3345a0823", AuditChain.entryDigest(entry));
        assertEquals("ca376eb3a7dfa0abe6a7cde0e148517000446639396738ef3b4ee050463ae654",
                AuditChain.hash(AuditChain.GENESIS_HASH, 1234567890123L, entry));
    }

    /** Lengths of one to four digits, as the documented recipe writes them (computed with Python's hashlib). */
    @Test
    void writesEveryLengthInDecimal() {
        assertEquals("8c0c8b176e4a81ce608f50048b3f5f3895906abbcb8cd966374b5954bc7e0f50",
                AuditChain.entryDigest(withTarget("t".repeat(150))));
        assertEquals("c89d7ad0a36eba8a33b0a2c23b31fa4b87f8905c9c6b18edc142ff105b8a0776",
                AuditChain.entryDigest(withTarget("x".repeat(1234))));
    }

    private static AuditChain.Entry withTarget(String target) {
        return new AuditChain.Entry(1000, "tok1", "OWNER", null, "environment.create", target, "ALLOWED", null,
                List.of(), SALT);
    }

    @Test
    void aSaltedRecordsHashIsTheLinkOverItsEntryDigest() {
        AuditChain.Entry salted = entry("e1", SALT);
        assertEquals(AuditChain.link("ab", 7, AuditChain.entryDigest(salted)), AuditChain.hash("ab", 7, salted));
    }

    @Test
    void theHashChangesWithAnyField() {
        String base = AuditChain.hash("0", 1, entry("e1", SALT));
        assertNotEquals(base, AuditChain.hash("0", 1, entry("e2", SALT)));
        assertNotEquals(base, AuditChain.hash("0", 1, entry(null, SALT)), "an absent field is not an empty one");
        assertNotEquals(base, AuditChain.hash("0", 2, entry("e1", SALT)));
        assertNotEquals(base, AuditChain.hash("1", 1, entry("e1", SALT)));
        assertNotEquals(base, AuditChain.hash("0", 1, entry("e1", "ff" + SALT.substring(2))));
        assertNotEquals(base, AuditChain.hash("0", 1, entry("e1", null)), "salted and unsalted differ");
        // Fields are length-prefixed: moving text from one field to the next changes the hash.
        assertNotEquals(
                AuditChain.hash("0", 1, new AuditChain.Entry(1, "ab", null, null, "c", null, "DENIED", null, null, SALT)),
                AuditChain.hash("0", 1, new AuditChain.Entry(1, "a", "b", null, "c", null, "DENIED", null, null, SALT)));
    }

    /** The changes an update names follow the fields, three each; none at all hashes as before changes existed. */
    @Test
    void theChangesAnUpdateNamesAreHashedAfterTheFields() {
        AuditChain.Entry plain = entry("e1", SALT);
        AuditChain.Entry renamed = new AuditChain.Entry(1000, "tok1", "OWNER", "e1", "environment.create", null,
                "ALLOWED", null, List.of(new AuditChain.Change("name", "Old", "New")), SALT);
        assertNotEquals(AuditChain.entryDigest(plain), AuditChain.entryDigest(renamed));
        assertNotEquals(AuditChain.entryDigest(renamed), AuditChain.entryDigest(new AuditChain.Entry(1000, "tok1",
                "OWNER", "e1", "environment.create", null, "ALLOWED", null,
                List.of(new AuditChain.Change("name", "Old", null)), SALT)), "a value not recorded is not an empty one");
        AuditChain.Entry unsalted = new AuditChain.Entry(1000, "tok1", "OWNER", null, "environment.create", null,
                "ALLOWED", null, List.of(new AuditChain.Change("name", null, "New")), null);
        // the one-step hash with the change's three fields appended, as printf and sha256sum compute it
        assertEquals("af962ec8b8003e391929d9c789c886a5b58dccd8ebbe757216375da9561d564c", AuditChain.hash(AuditChain.GENESIS_HASH, 1, unsalted));
    }

    @Test
    void anUnsaltedRecordHasNoEntryDigest() {
        assertThrows(IllegalArgumentException.class, () -> AuditChain.entryDigest(entry("e1", null)));
    }

    @Test
    void aCheckpointStatementNamesWhatItVouchesFor() {
        assertEquals("enigm-audit-checkpoint-v1\n5\nabc\n99",
                new String(AuditChain.checkpointStatement(5, "abc", 99), java.nio.charset.StandardCharsets.UTF_8));
    }
}
