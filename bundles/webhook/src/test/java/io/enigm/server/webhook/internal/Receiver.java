package io.enigm.server.webhook.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A webhook receiver on loopback: keeps what it was sent, and refuses the first attempts when told to. */
public final class Receiver {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One POST as received: its signature header and its body. */
    record Received(String signature, String body) {
    }

    private final HttpServer server;
    private final List<Received> accepted = new ArrayList<>();
    private final AtomicInteger toRefuse = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean posted;

    private Receiver(HttpServer server) {
        this.server = server;
        server.createContext("/hook", this::handle);
        server.start();
    }

    public static Receiver start() throws IOException {
        return start(0);
    }

    public static Receiver start(int port) throws IOException {
        return new Receiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** With a path and query, as a receiver's URL may have; never shown by the outbox. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/hook?token=receiver-secret";
    }

    public void failFirst(int attempts) {
        toRefuse.set(attempts);
    }

    public void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        posted = true;
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (toRefuse.getAndUpdate(n -> n > 0 && n != Integer.MAX_VALUE ? n - 1 : n) > 0) {
            refused.incrementAndGet();
            exchange.sendResponseHeaders(503, -1);
        } else {
            synchronized (accepted) {
                accepted.add(new Received(exchange.getRequestHeaders().getFirst(SignedPost.SIGNATURE_HEADER),
                        new String(body, StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(204, -1);
        }
        exchange.close();
    }

    /** Events received, counting each time an event came. */
    public int deliveries() {
        int count = 0;
        for (Received received : received()) {
            try {
                count += JSON.readTree(received.body()).path("events").size();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return count;
    }

    public boolean posted() {
        return posted;
    }

    public int refused() {
        return refused.get();
    }

    public Set<String> eventIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Received received : received()) {
            try {
                for (JsonNode event : JSON.readTree(received.body()).path("events")) {
                    ids.add(event.path("id").asText());
                }
            } catch (IOException e) {
                throw new AssertionError("a batch that is not JSON: " + received.body(), e);
            }
        }
        return ids;
    }

    /** Whether every accepted POST carries {@code t=<seconds>,v1=<HMAC-SHA256 of "<t>.<body>">} under {@code key}. */
    public boolean allSignedWith(byte[] key) {
        for (Received received : received()) {
            String signature = received.signature();
            if (signature == null || !signature.startsWith("t=")) {
                return false;
            }
            String seconds = signature.substring(2, signature.indexOf(','));
            if (!signature.equals("t=" + seconds + ",v1=" + hmac(key, seconds + "." + received.body()))) {
                return false;
            }
        }
        return !received().isEmpty();
    }

    /** As a receiver computes it, with nothing of the sender's code. */
    private static String hmac(byte[] key, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private List<Received> received() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }
}
