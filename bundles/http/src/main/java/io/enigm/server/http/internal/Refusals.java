package io.enigm.server.http.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.ConfirmationFailedException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.DomainException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.common.TooLargeException;
import io.enigm.server.common.UnavailableException;

/**
 * What a failure is answered with and how its refusal is audited, side by side in one table: each
 * domain refusal's problem (status, type, what it may add) and its audit category. Anything that is
 * no refusal is an internal error whose answer carries a reference, never its message.
 */
final class Refusals {

    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
    private static final String OTHER_CATEGORY = "INVALID_REQUEST";

    private record Row(Class<? extends DomainException> type, String category,
            Function<DomainException, ApiProblem> problem) {
    }

    /**
     * First match wins, so a subclass stands before its parent: a wrong PIN is {@code CONFIRMATION};
     * any other refusal by a service's own rule is about who may act on what ({@code ROLE}), since
     * {@code CONFIRMATION} there would send a reviewer looking for PIN guessing.
     */
    private static final List<Row> TABLE = List.of(
            new Row(NotFoundException.class, "NOT_FOUND", e -> ApiProblem.notFound(e.getMessage())),
            new Row(ConflictException.class, "CONFLICT", e -> new ApiProblem(409, "conflict", "Conflict", e.getMessage())),
            new Row(InvalidRequestException.class, OTHER_CATEGORY, e -> new InvalidField((InvalidRequestException) e)),
            new Row(RateLimitedException.class, "RATE_LIMITED", e -> rateLimited((RateLimitedException) e)),
            new Row(AccessDeniedException.class, OTHER_CATEGORY, e -> new DecisionRefusal((AccessDeniedException) e)),
            new Row(AuthenticationFailedException.class, "AUTHENTICATION",
                    e -> new ApiProblem(401, "unauthorized", "Authentication required", e.getMessage())),
            new Row(ConfirmationFailedException.class, "CONFIRMATION", e -> ApiProblem.forbidden(e.getMessage())),
            new Row(ForbiddenException.class, "ROLE", e -> ApiProblem.forbidden(e.getMessage())),
            new Row(TooLargeException.class, "TOO_LARGE", e -> new ApiProblem(413, "body-too-large", "Body too large",
                    e.getMessage(), Map.of("Connection", "close"))),
            new Row(UnavailableException.class, "UNAVAILABLE",
                    e -> new ApiProblem(503, "unavailable", "Service unavailable", e.getMessage())));

    private Refusals() {
    }

    /** The problem a failure is answered with: a refusal's own 4xx, anything else an internal error. */
    static ApiProblem problem(Throwable failure) {
        if (failure instanceof ApiProblem problem) {
            return problem;
        }
        if (failure instanceof DomainException refusal) {
            Row row = row(refusal);
            return row == null ? new ApiProblem(422, "rejected", "Rejected", refusal.getMessage())
                    : row.problem().apply(refusal);
        }
        return internalError(failure);
    }

    /** Whether the failure is a refusal (bad input, a conflict, an unknown id…) rather than an internal error. */
    static boolean isRefusal(Throwable failure) {
        return failure instanceof ApiProblem || failure instanceof DomainException;
    }

    /** The audit category of a refused request. */
    static String category(Throwable failure) {
        Row row = failure instanceof DomainException refusal ? row(refusal) : null;
        return row == null ? OTHER_CATEGORY : row.category();
    }

    /** The caller gets a reference, the log gets the failure; neither gets a stack trace in the answer. */
    static ApiProblem internalError(Throwable failure) {
        String reference = UUID.randomUUID().toString();
        LOG.error("Request failed unexpectedly, reference {}: {}", reference, describe(failure));
        LOG.debug("Failure {}", reference, failure);
        return new ApiProblem(500, "internal", "Internal error", "the request could not be completed; reference "
                + reference);
    }

    /** The problem+json document of {@code problem}. */
    static Map<String, Object> document(ApiProblem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        body.putAll(problem.extensions());
        return body;
    }

    /** The exception's type chain only: messages may quote SQL parameters or input. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getName());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getName());
        }
        return text.toString();
    }

    private static Row row(DomainException refusal) {
        for (Row row : TABLE) {
            if (row.type().isInstance(refusal)) {
                return row;
            }
        }
        return null;
    }

    private static ApiProblem rateLimited(RateLimitedException limited) {
        long seconds = Math.max(1, (limited.retryAfter().toMillis() + 999) / 1000);
        return new ApiProblem(429, "rate-limited", "Too many requests", limited.getMessage(),
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /** A 422 that names the offending field. */
    static final class InvalidField extends ApiProblem {
        private static final long serialVersionUID = 1L;
        private final String field;

        InvalidField(InvalidRequestException e) {
            super(422, "invalid-field", "Invalid field", e.getMessage());
            this.field = e.field();
        }

        @Override
        Map<String, Object> extensions() {
            return Collections.singletonMap("field", field);
        }
    }

    /** An access decision's DENY (403) or STEP_UP (401), with its categories only. */
    static final class DecisionRefusal extends ApiProblem {
        private static final long serialVersionUID = 1L;
        private final List<String> categories;

        DecisionRefusal(AccessDeniedException e) {
            super(e.stepUp() ? 401 : 403, e.stepUp() ? "step-up" : "access-denied",
                    e.stepUp() ? "More proof required" : "Access denied", e.getMessage());
            this.categories = e.categories();
        }

        @Override
        Map<String, Object> extensions() {
            return Collections.singletonMap("categories", categories);
        }
    }
}
