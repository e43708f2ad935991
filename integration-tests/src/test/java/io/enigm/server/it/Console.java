package io.enigm.server.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** The Web Console of a running server, as its operator's browser reaches it: HTTP Basic, forms posted from its own pages. */
final class Console {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String password;

    Console(ServerProcess server) throws IOException {
        this(server, server.secret("console-password"));
    }

    Console(ServerProcess server, String password) {
        this.base = "http://127.0.0.1:" + server.port();
        this.password = password;
    }

    String base() {
        return base;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A form posted from the console's own page: its origin named. */
    HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
        return post(path, form, Map.of("Origin", base));
    }

    HttpResponse<String> post(String path, String form, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                        .getBytes(StandardCharsets.UTF_8)));
    }
}
