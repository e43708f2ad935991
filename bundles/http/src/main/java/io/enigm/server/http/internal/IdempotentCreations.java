package io.enigm.server.http.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.work.IdempotentAnswers;
import io.enigm.server.work.RememberedAnswer;

/**
 * Creating requests under a client's {@code Idempotency-Key}: the first creates and its answer is
 * remembered in the same unit of work; a retry with the same key and body, within a day, gets that
 * answer (or, where it held a secret, a 409 naming what was created) and creates nothing. A key is
 * scoped by the caller's token and the request's method and path, so no one else's key answers.
 */
final class IdempotentCreations {

    /** Printable ASCII, as a header value can carry it unchanged, up to a length no UUID or hash exceeds. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private final IdempotentAnswers answers;
    private final ObjectMapper json;

    IdempotentCreations(IdempotentAnswers answers, ObjectMapper json) {
        this.answers = answers;
        this.json = json;
    }

    /**
     * The creation, to run in the request's unit of work, answered once per key; the creation as it
     * is when the route takes no key or the request brings none.
     */
    Supplier<Reply> once(Route route, Map<String, String> pathParameters, Call call, Supplier<Reply> creation) {
        if (route.idempotency() == Route.Idempotency.NONE) {
            return creation;
        }
        String key = key(call);
        if (key == null) {
            return creation;
        }
        String scope = scope(route, pathParameters, call);
        byte[] hash = call.bodyHash();
        return () -> {
            Optional<RememberedAnswer> first = answers.recall(scope, key);
            if (first.isPresent()) {
                return replay(first.get(), hash, call);
            }
            Reply reply = creation.get();
            answers.remember(scope, key, new RememberedAnswer(hash, reply.status(), reply.location(), call.target(),
                    route.idempotency() == Route.Idempotency.REPLAY ? serialized(reply.body()) : null));
            return reply;
        };
    }

    /**
     * The request's {@code Idempotency-Key}, or {@code null} without one.
     *
     * @throws ApiProblem 400 for a key that is not 1 to 200 printable ASCII characters without spaces
     */
    static String key(Call call) {
        String key = call.header(Route.IDEMPOTENCY_HEADER);
        if (key != null && !KEY.matcher(key).matches()) {
            throw ApiProblem.badRequest("invalid-header", Route.IDEMPOTENCY_HEADER
                    + " must be 1 to 200 printable ASCII characters without spaces");
        }
        return key;
    }

    /** The caller's token, the method and the path as requested: a key means something only there. */
    private static String scope(Route route, Map<String, String> pathParameters, Call call) {
        String path = route.template();
        for (Map.Entry<String, String> parameter : pathParameters.entrySet()) {
            path = path.replace("{" + parameter.getKey() + "}", parameter.getValue());
        }
        return call.principal().tokenId() + " " + route.method() + " " + path;
    }

    private Reply replay(RememberedAnswer first, byte[] hash, Call call) {
        if (!first.answers(hash)) {
            throw new InvalidRequestException(Route.IDEMPOTENCY_HEADER,
                    "was used within the last 24 hours for a request with another body");
        }
        call.target(first.createdId());
        if (first.body() == null) {
            throw new ConflictException("already created as " + first.createdId()
                    + " under this Idempotency-Key; its secret was shown once and is not shown again");
        }
        try {
            return new Reply(first.status(), first.body().length == 0 ? null : json.readTree(first.body()),
                    first.location());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] serialized(Object body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
