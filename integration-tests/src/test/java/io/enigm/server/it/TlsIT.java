package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * HTTPS from a PKCS#12 keystore, as docs/operations.md ("TLS") tells an operator to set it up: a
 * self-signed keystore made with {@code keytool}, its password in {@code secrets/tls-keystore-password},
 * the server started by {@code ./enigm-server --tls-keystore} (and {@code --log-format json}). A client
 * that trusts exactly that certificate talks to it; plain HTTP is off; HSTS is on every answer; the
 * password shows nowhere, neither in the JSON log lines; and the launcher refuses plain HTTP on a
 * non-loopback address unless told otherwise.
 */
public class TlsIT {

    /** Random: a search for it finds only the password, however its quotes were escaped. */
    private static final String MARK = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    /** Spaces, quotes and a backslash: the launcher must pass it whole. */
    private static final String PASSWORD = "tls \"pass\" \\word " + MARK;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static Path home;
    private static Path keystore;
    private static ServerProcess server;
    private static int httpsPort;
    private static HttpClient client;

    @BeforeClass
    public static void startWithTls() throws Exception {
        Path work = Files.createTempDirectory("enigm-tls-");
        keystore = work.resolve("enigm.p12");
        Distributions.Launched keytool = Distributions.run(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString(), "-genkeypair", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-alias", "enigm", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2"));
        assertEquals(keytool.output(), 0, keytool.exit());

        home = Files.createTempDirectory("enigm-tls-home-");
        Path secrets = Files.createDirectory(home.resolve("secrets"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path passwordFile = secrets.resolve("tls-keystore-password");
        Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));

        client = HttpClient.newBuilder().sslContext(trusting(certificate())).connectTimeout(Duration.ofSeconds(5))
                .build();
        server = new ServerProcess(home, "");
        httpsPort = Api.freePort();
        server.launch(List.of("--tls-keystore", keystore.toString(), "--https-port", Integer.toString(httpsPort),
                "--log-format", "json"));
        awaitHealthOverHttps();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void healthAnswersOverHttpsWithHsts() throws Exception {
        HttpResponse<String> health = get("/api/v1/health");
        assertEquals(health.body(), 200, health.statusCode());
        assertTrue(health.body(), health.body().contains("\"UP\""));
        assertEquals("HSTS on the API", "max-age=31536000",
                health.headers().firstValue("Strict-Transport-Security").orElse("none"));
        HttpResponse<String> console = get("/system/console/bundles");
        assertEquals("HSTS on the Web Console (status " + console.statusCode() + ")", "max-age=31536000",
                console.headers().firstValue("Strict-Transport-Security").orElse("none"));
        HttpResponse<String> unknown = get("/no-such-path");
        assertEquals("HSTS on an error answer", "max-age=31536000",
                unknown.headers().firstValue("Strict-Transport-Security").orElse("none"));
    }

    @Test
    public void plainHttpIsOffWhenTlsIsOn() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> answer = plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            fail("plain HTTP answered: " + answer.statusCode());
        } catch (ConnectException expected) {
            // nothing listens on the plain port
        }
    }

    @Test
    public void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            fail("the default trust store accepted a self-signed certificate");
        } catch (IOException expected) {
            assertTrue(String.valueOf(expected), expected instanceof javax.net.ssl.SSLHandshakeException
                    || expected.getCause() instanceof javax.net.ssl.SSLHandshakeException);
        }
    }

    @Test
    public void theKeystorePasswordShowsNowhere() throws Exception {
        get("/api/v1/health");
        String output = server.output();
        assertFalse("the password in the output", output.contains(MARK));
        String commandLine = Files.readString(Path.of("/proc", Long.toString(server.pid()), "cmdline"))
                .replace('\0', ' ');
        assertFalse("the password on the command line: " + commandLine, commandLine.contains(MARK));
        assertTrue("the keystore is named on the command line", commandLine.contains(keystore.toString()));
        Path logs = home.resolve("logs");
        try (Stream<Path> files = Files.walk(logs)) {
            List<Path> written = files.filter(Files::isRegularFile).toList();
            assertEquals("one log file, JSON lines", List.of(logs.resolve("enigm.jsonl")), written);
            String log = Files.readString(written.get(0), StandardCharsets.ISO_8859_1);
            assertFalse("the password in the log", log.contains(MARK));
        }
    }

    @Test
    public void theLogFileHoldsOneJsonObjectALine() throws Exception {
        List<String> lines = Files.readAllLines(home.resolve("logs").resolve("enigm.jsonl"));
        assertTrue("lines were logged", lines.size() > 5);
        boolean jettyStarted = false;
        for (String line : lines) {
            JsonNode event = Api.JSON.readTree(line);
            assertTrue(line, event.path("timestamp").isNumber() && event.path("level").isTextual()
                    && event.path("loggerName").isTextual() && event.path("formattedMessage").isTextual());
            jettyStarted |= event.path("formattedMessage").asText().contains("HTTPS:" + httpsPort);
        }
        assertTrue("Felix HTTP's start on the HTTPS port is among them", jettyStarted);
    }

    @Test
    public void theLauncherRefusesPlainHttpOnAllAddressesUnlessAllowed() throws Exception {
        Path otherHome = Files.createTempDirectory("enigm-tls-plain-");
        ServerProcess refused = new ServerProcess(otherHome, "");
        Process launched = refused.launch(List.of("--host", "0.0.0.0"));
        assertTrue("exits", launched.waitFor(60, TimeUnit.SECONDS));
        String said = refused.output();
        assertNotEquals(said, 0, launched.exitValue());
        assertTrue(said, said.contains("refusing to serve plain HTTP on 0.0.0.0") && said.contains("--allow-plain-http")
                && said.contains("--tls-keystore"));
        assertFalse("no JVM was started: " + said, said.contains("Started Jetty"));
    }

    private static void awaitHealthOverHttps() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get("/api/v1/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not healthy over HTTPS within " + START_TIMEOUT + "; output:\n" + server.output());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String base() {
        return "https://127.0.0.1:" + httpsPort;
    }

    private static Certificate certificate() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store.getCertificate("enigm");
    }

    /** An SSL context that trusts this one certificate and nothing else. */
    private static SSLContext trusting(Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("enigm", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
