package io.enigm.server.it;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP/1.1 connection on a plain socket to 127.0.0.1, for requests no HTTP client would send
 * (malformed paths, oversized headers, header values that differ only in letter case on one
 * kept-alive connection) and for reading exactly what the server answers.
 */
final class RawHttp implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** An answer: status, headers (names in lower case) and body. */
    record Answer(int status, Map<String, String> headers, String body) {

        String contentType() {
            return headers.getOrDefault("content-type", "").replaceAll(";.*", "").strip();
        }

        JsonNode json() {
            try {
                return Api.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** Sends {@code head} (request line and headers, without the blank line) and an optional body. */
    RawHttp send(String head, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        out.write((head + (content.length > 0 ? "\r\nContent-Length: " + content.length : "") + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(content);
        out.flush();
        return this;
    }

    /** Sends a few more bytes of a body; false when the server no longer takes them. */
    boolean trickle(String bytes) {
        try {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether some of an answer has arrived. */
    boolean hasAnswer() throws IOException {
        return in.available() > 0;
    }

    /** Reads one answer; throws {@link java.net.SocketTimeoutException} when none comes in {@code timeoutMillis}. */
    Answer read(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().replaceAll(";.*", "").strip(), 16); size > 0;
                    size = Integer.parseInt(line().replaceAll(";.*", "").strip(), 16)) {
                chunks.write(in.readNBytes(size));
                line();
            }
            line();
            body = chunks.toByteArray();
        } else {
            body = "close".equalsIgnoreCase(headers.get("connection")) ? in.readAllBytes() : new byte[0];
        }
        return new Answer(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    Answer read() throws IOException {
        return read(10_000);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed after: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
