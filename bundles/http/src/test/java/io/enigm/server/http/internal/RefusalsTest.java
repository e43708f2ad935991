package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.ConfirmationFailedException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.DomainException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.common.UnavailableException;

class RefusalsTest {

    private record Expected(DomainException refusal, int status, String type, String category) {
    }

    @Test
    void everyRefusalHasItsStatusTypeAndAuditCategory() {
        List<Expected> table = List.of(
                new Expected(new NotFoundException("member"), 404, "not-found", "NOT_FOUND"),
                new Expected(new ConflictException("already revoked"), 409, "conflict", "CONFLICT"),
                new Expected(new InvalidRequestException("name", "must not be blank"), 422, "invalid-field",
                        "INVALID_REQUEST"),
                new Expected(new RateLimitedException("later", Duration.ofMillis(1500)), 429, "rate-limited",
                        "RATE_LIMITED"),
                new Expected(new AccessDeniedException("denied", false, List.of("DEVICE_TRUST")), 403, "access-denied",
                        "INVALID_REQUEST"),
                new Expected(new AccessDeniedException("more", true, List.of("HARDWARE_KEY")), 401, "step-up",
                        "INVALID_REQUEST"),
                new Expected(new AuthenticationFailedException("bad signature"), 401, "unauthorized", "AUTHENTICATION"),
                new Expected(new ConfirmationFailedException("wrong PIN"), 403, "forbidden", "CONFIRMATION"),
                new Expected(new ForbiddenException("not the issuer"), 403, "forbidden", "ROLE"),
                new Expected(new UnavailableException("provider late"), 503, "unavailable", "UNAVAILABLE"));
        for (Expected expected : table) {
            ApiProblem problem = Refusals.problem(expected.refusal());
            String name = expected.refusal().getClass().getSimpleName();
            assertEquals(expected.status(), problem.status(), name);
            assertEquals("urn:enigm:problem:" + expected.type(), problem.type(), name);
            assertEquals(expected.category(), Refusals.category(expected.refusal()), name);
        }
    }

    @Test
    void whatARefusalAddsReachesTheDocumentAndRetryAfterRoundsUp() {
        Map<String, Object> field = Refusals.document(Refusals.problem(new InvalidRequestException("pin", "6 digits")));
        assertEquals("pin", field.get("field"));
        ApiProblem denied = Refusals.problem(new AccessDeniedException("denied", false, List.of("OS_POSTURE")));
        assertEquals(List.of("OS_POSTURE"), Refusals.document(denied).get("categories"));
        assertEquals("2", Refusals.problem(new RateLimitedException("later", Duration.ofMillis(1001))).headers()
                .get("Retry-After"));
    }

    @Test
    void anythingElseIsAnInternalErrorWhoseAnswerCarriesNoMessage() {
        ApiProblem problem = Refusals.problem(new IllegalStateException("SELECT secret FROM table"));
        assertEquals(500, problem.status());
        assertFalse(problem.detail().contains("secret"));
        assertEquals("INVALID_REQUEST", Refusals.category(new ApiProblem(400, "malformed-body", "Bad", "x")));
    }
}
