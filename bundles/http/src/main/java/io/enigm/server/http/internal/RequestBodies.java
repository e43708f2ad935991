package io.enigm.server.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Request bodies up to the configured limit: read strictly as JSON where a route takes one, discarded where not. */
final class RequestBodies {

    private static final String JSON = ApiJson.MEDIA_TYPE;
    private static final byte[] NO_BODY = new byte[0];

    private final int maxBodyBytes;

    RequestBodies(int maxBodyBytes) {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    int limit() {
        return maxBodyBytes;
    }

    /**
     * Reads, up to the body limit, what is left of a body that was not needed (a request refused
     * before its body was read, a route that takes none). Jetty closes a connection whose request
     * was not read to the end, and a client still sending its body then fails with a broken pipe
     * instead of reading the answer.
     */
    void discardUnread(HttpServletRequest request, HttpServletResponse response) {
        if ("close".equalsIgnoreCase(response.getHeader("Connection"))) {
            return;
        }
        // An HTTP/1.1 request without either header has no body: nothing to read, nor a buffer to allocate.
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            return;
        }
        try {
            request.getInputStream().readNBytes(maxBodyBytes + 1);
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the body was consumed another way: nothing left to discard
        }
    }

    /**
     * The body of a route that streams it, unread: only its media type is checked here, and the
     * service it is handed to bounds its size.
     */
    InputStream stream(HttpServletRequest request, Route route) {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(route.operation().requestType())) {
            throw new ApiProblem(415, "unsupported-media-type", "Unsupported media type", "the body must be "
                    + route.operation().requestType());
        }
        try {
            return request.getInputStream();
        } catch (IOException e) {
            throw ApiProblem.badRequest("malformed-body", "the body could not be read");
        }
    }

    byte[] read(HttpServletRequest request, Route route) {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        if (route.operation().requestSchema() == null) {
            return NO_BODY;
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            throw new ApiProblem(415, "unsupported-media-type", "Unsupported media type", "the body must be " + JSON);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBodyBytes + 1);
        } catch (IOException e) {
            throw ApiProblem.badRequest("malformed-body", "the body could not be read");
        } catch (RuntimeException e) {
            // Jetty's blocking stream refuses a body arriving slower than the connector's minimum rate unchecked
            throw new ApiProblem(408, "request-timeout", "Request timeout",
                    "the body arrived slower than the server accepts", Map.of("Connection", "close"));
        }
        // checked outside the read's handlers, which turn any unchecked failure into a 408
        if (body.length > maxBodyBytes) {
            throw tooLarge();
        }
        return body;
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(413, "body-too-large", "Body too large",
                "the body must not exceed " + maxBodyBytes + " bytes", Map.of("Connection", "close"));
    }
}
