package io.enigm.server.audit.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the installation's audit public key given ({@code --key}), an export verifies only when it is
 * signed with that key: one re-signed with a key of someone else's is broken, whatever it says.
 */
class KeyPinningTest {

    @TempDir
    Path directory;

    @Test
    void anExportVerifiesAgainstTheInstallationsKeyAndNotAgainstAnother() throws IOException, GeneralSecurityException {
        Exports exports = new Exports(directory).append(3).aMinuteLater().append(2);
        Path export = exports.export(null);
        Path installationKey = exports.home.secrets().resolve("audit-signing-key-public");
        Path otherKey = Files.write(directory.resolve("other.der"),
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());

        assertEquals(AuditVerifier.INTACT, run("--key", installationKey.toString(), export.toString()), "its own key");
        Path base64 = Files.writeString(directory.resolve("key.txt"),
                Base64.getEncoder().encodeToString(Files.readAllBytes(installationKey)) + "\n");
        assertEquals(AuditVerifier.INTACT, run("--key", base64.toString(), export.toString()), "the key in base64");
        assertEquals(AuditVerifier.BROKEN, run("--key", otherKey.toString(), export.toString()), "another key");
        assertTrue(out.contains("another key"), out);
    }

    private String out = "";

    private int run(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = AuditVerifier.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        out = printed.toString(StandardCharsets.UTF_8);
        return exit;
    }
}
