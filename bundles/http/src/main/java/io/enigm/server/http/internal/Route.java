package io.enigm.server.http.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;

/**
 * One method and path of the API, with who may call it and what it does. The table of routes is
 * what the server enforces, what the OpenAPI document describes and what the authorization
 * matrix test reads.
 *
 * @param method    HTTP method
 * @param template  path below {@code /api/v1}, with {@code {name}} for a path parameter
 * @param action    the audit action, e.g. {@code environment.create}
 * @param access    who may call it
 * @param operation what the OpenAPI document says of it
 * @param handler     the work
 * @param segments    the template split at its slashes, once: matching runs on every request
 * @param idempotency what an {@code Idempotency-Key} does on this route
 */
record Route(String method, String template, String action, Access access, Operation operation, Handler handler,
        List<String> segments, Idempotency idempotency) {

    Route(String method, String template, String action, Access access, Operation operation, Handler handler) {
        this(method, template, action, access, operation, handler, List.of(template.substring(1).split("/")),
                Idempotency.NONE);
    }

    /** What a creating route does with the client's {@link #IDEMPOTENCY_HEADER}. */
    enum Idempotency {
        /** The route takes no key. */
        NONE,
        /** A retry with the key gets the first answer again and creates nothing. */
        REPLAY,
        /**
         * The first answer held a secret shown once (a token, a code): a retry creates nothing and
         * gets a 409 naming what was created, never the secret again.
         */
        SECRET_SHOWN_ONCE,
        /**
         * The service the route calls keeps the key with its own durable work (a streamed upload):
         * the route hands it the key, and a retry gets the first answer and creates nothing.
         */
        BY_SERVICE
    }

    /** The header of a client's key for a creating request; also the name of its OpenAPI parameter. */
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /**
     * This route, taking an {@link #IDEMPOTENCY_HEADER} as {@code kind} says: the one declaration a
     * creating route needs, which the OpenAPI document then shows as the header parameter.
     */
    Route idempotent(Idempotency kind) {
        if (!"POST".equals(method) || kind == Idempotency.NONE
                || access.isAdministrative() == (kind == Idempotency.BY_SERVICE)) {
            throw new IllegalArgumentException("an idempotency key is for POST routes that create: an administrative"
                    + " route's in its unit of work, any other's by its service");
        }
        List<String> parameters = new ArrayList<>(operation.queryParameters());
        parameters.add(IDEMPOTENCY_HEADER);
        return new Route(method, template, action, access, new Operation(operation.summary(),
                operation.requestSchema(), operation.status(), operation.responseSchema(), List.copyOf(parameters),
                operation.responseType(), operation.requestType()), handler, segments, kind);
    }

    @FunctionalInterface
    interface Handler {
        Reply handle(Call call);

        /**
         * Work to do before the request's transaction, off the database's one writer (asking an
         * outside provider, which may be slow); returns the handler that then runs in the transaction.
         * Nothing by default.
         */
        default Handler prepare(Call call) {
            return this;
        }

        /**
         * An administrative write whose slow part is all in {@code prepare}: the route execution
         * always prepares such a write before its transaction, so the handler proper never runs.
         */
        static Handler preparedWrite(Function<Call, Handler> prepare) {
            return new Handler() {
                @Override
                public Reply handle(Call call) {
                    throw new IllegalStateException("an administrative write is prepared before it runs");
                }

                @Override
                public Handler prepare(Call call) {
                    return prepare.apply(call);
                }
            };
        }
    }

    /**
     * What the OpenAPI document says of a route.
     *
     * @param summary         one line
     * @param requestSchema   the JSON body's schema in {@code components/schemas}, or {@code null}
     * @param status          the status of a successful answer
     * @param responseSchema  the successful answer's schema, or {@code null} for none
     * @param queryParameters names of the query parameters (each described in components/parameters)
     * @param responseType    the successful answer's media type: JSON, JSON Lines for a stream of
     *                        {@code responseSchema} values, or {@link #BYTES}
     * @param requestType     the body's media type: JSON, or {@link #BYTES} for a body the handler streams
     *                        (parameters in {@code queryParameters} then name headers too)
     */
    record Operation(String summary, String requestSchema, int status, String responseSchema,
            List<String> queryParameters, String responseType, String requestType) {

        /** Opaque bytes, streamed as they are. */
        static final String BYTES = "application/octet-stream";

        /** An operation answering JSON. */
        Operation(String summary, String requestSchema, int status, String responseSchema,
                List<String> queryParameters) {
            this(summary, requestSchema, status, responseSchema, queryParameters, ApiJson.MEDIA_TYPE);
        }

        /** An operation taking JSON, if anything. */
        Operation(String summary, String requestSchema, int status, String responseSchema,
                List<String> queryParameters, String responseType) {
            this(summary, requestSchema, status, responseSchema, queryParameters, responseType, ApiJson.MEDIA_TYPE);
        }

        /** Whether the handler reads the body itself, as a stream, rather than being handed it read. */
        boolean streamsBody() {
            return requestSchema != null && BYTES.equals(requestType);
        }
    }

    /** The header that carries the critical-operation PIN, for the routes whose operation names it. */
    static final String CONFIRM_HEADER = "X-Enigm-Confirm";

    /** Whether the route takes the critical-operation PIN in {@link #CONFIRM_HEADER}. */
    boolean takesConfirmation() {
        return operation.queryParameters().contains(CONFIRM_HEADER);
    }

    /** Whether the route changes state: its work and its audit record then commit together. */
    boolean mutates() {
        return !"GET".equals(method);
    }

    /** The path parameters when {@code path} matches the template, otherwise {@code null}. */
    Map<String, String> match(List<String> path) {
        if (segments.size() != path.size()) {
            return null;
        }
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            boolean parameter = segment.startsWith("{");
            if (parameter ? path.get(i).isEmpty() : !segment.equals(path.get(i))) {
                return null;
            }
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.startsWith("{")) {
                parameters.put(segment.substring(1, segment.length() - 1), path.get(i));
            }
        }
        return parameters;
    }
}
