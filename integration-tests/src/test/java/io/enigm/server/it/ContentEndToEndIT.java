package io.enigm.server.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Encrypted content through the assembled server, started as an operator starts it: a reference
 * client encrypts end to end with the JDK (X25519 and AES-GCM), the server stores and delivers what
 * it cannot read, and afterwards no file of the data home — the database, its WAL, the blob store —
 * nor the server's log holds the plaintext or a content key. A SIGKILL in the middle of a large
 * upload leaves no object behind, and the next upload works.
 */
public class ContentEndToEndIT {

    private static ServerProcess server;
    private static Api api;
    private static String owner;
    private static String env;
    private static String base;

    /** A member's device: its signing key and session for the server, its agreement keys for content. */
    private record Device(String memberId, String deviceId, String token, KeyPair agreement) {
    }

    @BeforeClass
    public static void startServer() throws Exception {
        server = new ServerProcess(Files.createTempDirectory("enigm-content-"), "");
        api = server.api();
        server.start();
        owner = server.secret("owner-token");
        env = api.post("/api/v1/environments", owner, "{\"name\":\"End to end\"}").json().path("id").asText();
        base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}").status());
    }

    @AfterClass
    public static void stopServer() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }

    private static Device device(String name) {
        DeviceKey key = DeviceKey.generate();
        Api.Enrolled enrolled = api.enrolMember(base, owner, name + "-" + UUID.randomUUID() + "@enigm",
                key.publicKey());
        String token = api.openSession(env, enrolled.deviceId(), key).path("sessionToken").asText();
        return new Device(enrolled.memberId(), enrolled.deviceId(), token, ReferenceClient.deviceKeys());
    }

    private static String upload(Device sender, String surface, byte[] envelope, Device... recipients) {
        List<String> ids = new ArrayList<>();
        for (Device recipient : recipients) {
            ids.add(recipient.memberId());
        }
        Api.Answer answer = api.postBytes(base + "/content", sender.token(), Map.of("X-Enigm-Surface", surface,
                "X-Enigm-Recipients", String.join(",", ids)), envelope);
        assertEquals(answer.body(), 201, answer.status());
        return answer.json().path("id").asText();
    }

    @Test
    public void aMessageAndAnAttachmentReachTwoDevicesAndNeitherPlaintextNorKeyIsStoredOrLogged() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        Device carol = device("carol");
        String canary = "north gate at 0700, bring the blue folder " + UUID.randomUUID();
        byte[] message = canary.getBytes(StandardCharsets.UTF_8);
        byte[] attachment = new byte[300 * 1024];
        for (int i = 0; i < attachment.length; i++) {
            attachment[i] = (byte) ("attachment canary " + canary).charAt(i % (canary.length() + 18));
        }
        List<java.security.PublicKey> to = List.of(bob.agreement().getPublic(), carol.agreement().getPublic());
        ReferenceClient.Sealed sealedMessage = ReferenceClient.seal(message, to);
        ReferenceClient.Sealed sealedAttachment = ReferenceClient.seal(attachment, to);

        String messageId = upload(alice, "MESSAGES", sealedMessage.envelope(), bob, carol);
        String attachmentId = upload(alice, "ATTACHMENTS", sealedAttachment.envelope(), bob, carol);

        for (Device recipient : List.of(bob, carol)) {
            JsonNode feed = api.get(base + "/content?limit=50", recipient.token()).json();
            List<String> listed = new ArrayList<>();
            feed.path("items").forEach(item -> listed.add(item.path("id").asText()));
            assertEquals(List.of(messageId, attachmentId), listed);
            byte[] fetchedMessage = api.getBytes(base + "/content/" + messageId, recipient.token(), Map.of()).body();
            byte[] fetchedAttachment = api.getBytes(base + "/content/" + attachmentId, recipient.token(), Map.of())
                    .body();
            assertArrayEquals(sealedMessage.envelope(), fetchedMessage);
            assertArrayEquals(message, ReferenceClient.open(fetchedMessage, recipient.agreement()));
            assertArrayEquals(attachment, ReferenceClient.open(fetchedAttachment, recipient.agreement()));
        }

        List<Path> files = files(server.home());
        assertTrue("the attachment is in the blob store", files.stream().anyMatch(file ->
                file.getFileName().toString().equals(attachmentId)));
        assertTrue("the database's WAL is searched", files.stream().anyMatch(file ->
                file.getFileName().toString().endsWith("-wal")));
        files.add(server.log());
        List<byte[]> secrets = new ArrayList<>();
        for (byte[] secret : List.of(message, canary.substring(0, 20).getBytes(StandardCharsets.UTF_8),
                sealedMessage.contentKey(), sealedAttachment.contentKey())) {
            secrets.add(secret);
            secrets.add(Base64.getEncoder().encode(secret));
            secrets.add(Base64.getUrlEncoder().withoutPadding().encode(secret));
            secrets.add(HexFormat.of().formatHex(secret).getBytes(StandardCharsets.US_ASCII));
        }
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            for (byte[] secret : secrets) {
                assertFalse(file + " holds a plaintext or a content key", indexOf(bytes, secret) >= 0);
            }
        }
    }

    @Test
    public void aKilledUploadLeavesNoObjectAndTheNextUploadWorks() throws Exception {
        Device alice = device("alice");
        Device bob = device("bob");
        String before = upload(alice, "MEDIA", new byte[] {1, 2, 3}, bob);
        Path incoming = server.home().resolve("content").resolve("incoming");
        long size = 64L * 1024 * 1024;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + base + "/content HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + alice.token() + "\r\nContent-Type: application/octet-stream\r\nX-Enigm-Surface: MEDIA\r\n"
                    + "Content-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1024 * 1024];
            for (int i = 0; i < 16; i++) {
                out.write(chunk);
            }
            out.flush();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (partial(incoming) < 8L * 1024 * 1024) {
                assertTrue("the upload is being staged", System.nanoTime() < deadline);
                Thread.sleep(20);
            }
            server.kill();
        }
        server.start();

        assertEquals("a killed upload leaves nothing being received", 0, partial(incoming));
        JsonNode feed = api.get(base + "/content?limit=50", bob.token()).json();
        assertEquals(1, feed.path("items").size());
        assertEquals(before, feed.path("items").get(0).path("id").asText());
        String after = upload(alice, "MEDIA", new byte[2 * 1024 * 1024], bob);
        assertEquals(2 * 1024 * 1024, api.getBytes(base + "/content/" + after, bob.token(), Map.of()).body().length);
    }

    /** Bytes in files being received. */
    private static long partial(Path incoming) throws IOException {
        try (Stream<Path> files = Files.list(incoming)) {
            return files.mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static List<Path> files(Path home) throws IOException {
        try (Stream<Path> walk = Files.walk(home)) {
            return new ArrayList<>(walk.filter(Files::isRegularFile).toList());
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
