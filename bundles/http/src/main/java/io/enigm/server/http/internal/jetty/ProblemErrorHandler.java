package io.enigm.server.http.internal.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers every error that Jetty or a servlet's {@code sendError} produces, wherever it arises
 * (a malformed request line or header, an ambiguous or badly encoded path, oversized headers, a
 * path no servlet serves, a Web Console refusal), as an RFC 9457 {@code application/problem+json}
 * document like the API's own. Jetty's default answers with an HTML page, for some methods with
 * no body, and may echo the reason it failed; this one says only the status, in fixed words.
 */
final class ProblemErrorHandler extends ErrorHandler {

    static final String MEDIA_TYPE = "application/problem+json";

    /** The API's problem types for the statuses Jetty and servlets produce themselves. */
    private static final Map<Integer, String[]> KNOWN = Map.ofEntries(
            Map.entry(400, new String[] {"bad-request", "Bad request"}),
            Map.entry(401, new String[] {"unauthorized", "Authentication required"}),
            Map.entry(403, new String[] {"forbidden", "Not allowed"}),
            Map.entry(404, new String[] {"not-found", "Not found"}),
            Map.entry(405, new String[] {"method-not-allowed", "Method not allowed"}),
            Map.entry(408, new String[] {"request-timeout", "Request timeout"}),
            Map.entry(413, new String[] {"body-too-large", "Body too large"}),
            Map.entry(414, new String[] {"uri-too-long", "URI too long"}),
            Map.entry(415, new String[] {"unsupported-media-type", "Unsupported media type"}),
            Map.entry(429, new String[] {"rate-limited", "Too many requests"}),
            Map.entry(431, new String[] {"headers-too-large", "Request headers too large"}),
            Map.entry(500, new String[] {"internal", "Internal error"}),
            Map.entry(503, new String[] {"unavailable", "Service unavailable"}));

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        if (status < 400 || status > 599) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
            response.setStatus(status);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        response.write(true, ByteBuffer.wrap(body(status)), callback);
        return true;
    }

    /** The document for {@code status}: only fixed words, never the failure's message or cause. */
    static byte[] body(int status) {
        String[] known = KNOWN.get(status);
        String slug = known != null ? known[0] : "http-" + status;
        String title = known != null ? known[1] : HttpStatus.getMessage(status);
        return ("{\"type\":\"urn:enigm:problem:" + slug + "\",\"title\":\"" + title + "\",\"status\":" + status + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
