package io.enigm.server.http.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.audit.AuditChange;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

/** One request as a route handler sees it: path and query parameters, the caller, the body. */
final class Call {

    private final Map<String, String> pathParameters;
    /** A query parameter's values, parsed only when a route asks for one. */
    private final Function<String, String[]> queryParameters;
    private final UnaryOperator<String> headers;
    private final AdminPrincipal principal;
    private byte[] body = new byte[0];
    private java.io.InputStream stream;
    private final ObjectMapper json;
    private String target;
    private List<AuditChange> changes = List.of();

    Call(Map<String, String> pathParameters, Function<String, String[]> queryParameters, UnaryOperator<String> headers,
            AdminPrincipal principal, ObjectMapper json) {
        this.pathParameters = pathParameters;
        this.queryParameters = queryParameters;
        this.headers = headers;
        this.principal = principal;
        this.json = json;
    }

    /** SHA-256 of the body as received: what tells a retry from another request under one idempotency key. */
    byte[] bodyHash() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Reads the body; a separate step so that a refused body is still audited against this call. */
    void readBody(java.util.function.Supplier<byte[]> reader) {
        this.body = reader.get();
    }

    /** Hands over the body unread, for a route that streams it. */
    void streamBody(java.io.InputStream in) {
        this.stream = in;
    }

    /** The body of a route that streams it. */
    java.io.InputStream bodyStream() {
        if (stream == null) {
            throw new IllegalStateException("the route does not stream its body");
        }
        return stream;
    }

    /** The {@code Authorization: Bearer} token, or {@code null}. */
    String bearerToken() {
        String header = header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }

    String path(String name) {
        return pathParameters.get(name);
    }

    /** A request header's value, or {@code null}. */
    String header(String name) {
        return headers.apply(name);
    }

    /** The authenticated administrator; {@code null} on public routes. */
    AdminPrincipal principal() {
        return principal;
    }

    /** Names the thing acted on for the audit record, when the path does not. */
    void target(String handle) {
        this.target = handle;
    }

    /** Records what the update changed: the named fields of its view {@code before} and {@code after}. */
    void changed(Object before, Object after, List<String> fields) {
        this.changes = ViewChanges.between(json, before, after, fields);
    }

    List<AuditChange> changes() {
        return changes;
    }

    String target() {
        return target != null ? target : pathParameters.getOrDefault("env", null);
    }

    /** The single value of a query parameter, or {@code null}. */
    String query(String name) {
        String[] values = queryParameters.apply(name);
        if (values == null) {
            return null;
        }
        if (values.length != 1) {
            throw ApiProblem.badRequest("invalid-parameter", name + " must be given once");
        }
        return values[0];
    }

    /** The {@code cursor} and {@code limit} query parameters. */
    PageRequest page() {
        String limit = query("limit");
        int size = Page.DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > Page.MAX_LIMIT) {
                throw ApiProblem.badRequest("invalid-parameter", "limit must be an integer from 1 to " + Page.MAX_LIMIT);
            }
        }
        return new PageRequest(query("cursor"), size);
    }

    /**
     * The body as text, for routes whose body is a document the domain validates itself (a policy):
     * the domain then names the offending field by its own rules.
     */
    String bodyText() {
        if (body.length == 0) {
            throw ApiProblem.badRequest("malformed-json", "a JSON document is required");
        }
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The JSON body as {@code type}: a JSON object with known fields of the right types. */
    <T> T body(Class<T> type) {
        if (body.length == 0) {
            throw ApiProblem.badRequest("malformed-json", "a JSON object is required");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw ApiProblem.badRequest("malformed-json", "a JSON object is required");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiProblem.badRequest("invalid-body", "unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            throw ApiProblem.badRequest("invalid-body", fieldOf(e) + " has the wrong type");
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("malformed-json", "the body is not valid JSON");
        } catch (java.io.IOException e) {
            throw ApiProblem.badRequest("malformed-json", "the body could not be read");
        }
    }

    private static String fieldOf(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : "[" + reference.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("the body");
        return path.equals("the body") ? path : "field '" + path + "'";
    }
}
