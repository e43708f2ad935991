package io.enigm.server.http.internal;

import java.util.Map;

/**
 * A refusal answered as an RFC 9457 {@code application/problem+json} document. The detail is
 * shown to the caller, so it never carries secrets, content or stack traces.
 */
class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String slug;
    private final String title;
    private final Map<String, String> headers;

    ApiProblem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, Map.of());
    }

    ApiProblem(int status, String slug, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.headers = headers;
    }

    int status() {
        return status;
    }

    /** The problem type URI. */
    String type() {
        return "urn:enigm:problem:" + slug;
    }

    String title() {
        return title;
    }

    String detail() {
        return getMessage();
    }

    Map<String, String> headers() {
        return headers;
    }

    /** The members this problem adds to {@code type}, {@code title}, {@code status} and {@code detail}. */
    Map<String, Object> extensions() {
        return Map.of();
    }

    static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Authentication required", detail,
                Map.of("WWW-Authenticate", "Bearer realm=\"enigm\""));
    }

    static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Not allowed", detail);
    }

    static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail);
    }

    static ApiProblem badRequest(String slug, String detail) {
        return new ApiProblem(400, slug, "Bad request", detail);
    }
}
