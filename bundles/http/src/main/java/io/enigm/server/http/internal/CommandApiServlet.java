package io.enigm.server.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.ConfirmationRefusedException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.DomainException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.Devices;
import io.enigm.server.membership.Invites;
import io.enigm.server.membership.JoinRequests;
import io.enigm.server.membership.Members;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.membership.SessionTokens;
import io.enigm.server.membership.Sessions;
import io.enigm.server.policy.Policies;
import io.enigm.server.policy.PolicyEngine;
import io.enigm.server.store.Database;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The API's one servlet: matches the route, authenticates and authorizes the caller, runs the
 * route in a transaction with its audit record, and answers JSON or problem+json. Domain rules
 * live in the services; this class only translates.
 */
@Component(service = Servlet.class, configurationPid = HttpConfiguration.PID)
@Designate(ocd = HttpConfiguration.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletAsyncSupported
public class CommandApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CommandApiServlet.class);
    private static final String JSON = ApiJson.MEDIA_TYPE;
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final byte[] NO_BODY = new byte[0];

    private final transient Database database;
    private final transient AdminTokens tokens;
    private final transient AuditLog audit;
    private final transient CriticalOperationPin pin;
    private final transient UnauthenticatedRefusals unauthenticated;
    private final transient ObjectMapper json = ApiJson.mapper();
    private final transient List<Route> routes;
    private final transient Object openApi;
    private final int maxBodyBytes;

    @Activate
    public CommandApiServlet(@Reference Database database, @Reference AdminTokens tokens,
            @Reference AuditLog audit, @Reference EnvironmentService environments, @Reference CriticalOperationPin pin,
            @Reference JoinRequests joinRequests, @Reference Invites invites, @Reference Members members,
            @Reference Devices devices, @Reference Sessions sessions, @Reference SessionTokens sessionTokens,
            @Reference AttestationRegistry attestations, @Reference SecurityEventFeed securityEvents,
            @Reference Policies policies, @Reference PolicyEngine policyEngine,
            @Reference UnauthenticatedRefusals unauthenticated, HttpConfiguration configuration,
            BundleContext context) {
        if (configuration.maxBodyBytes() < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        }
        this.database = database;
        this.tokens = tokens;
        this.audit = audit;
        this.pin = pin;
        this.unauthenticated = unauthenticated;
        this.maxBodyBytes = configuration.maxBodyBytes();
        String version = context.getBundle().getVersion().toString();
        List<Route> table = new ArrayList<>();
        table.addAll(new InstallationRoutes(database, version, this::openApi).routes());
        table.addAll(new EnvironmentRoutes(environments).routes());
        table.addAll(new PinRoutes(pin).routes());
        table.addAll(new AdminTokenRoutes(tokens).routes());
        table.addAll(new AuditRoutes(audit, securityEvents).routes());
        table.addAll(new JoinRequestRoutes(joinRequests, invites).routes());
        table.addAll(new MembershipRoutes(members).routes());
        table.addAll(new DeviceRoutes(devices, sessions).routes());
        table.addAll(new SessionRoutes(sessionTokens).routes());
        table.addAll(new PolicyRoutes(policies, policyEngine).routes());
        table.addAll(new AttestationRoutes(attestations, devices, database, audit).routes());
        this.routes = List.copyOf(table);
        this.openApi = OpenApiDocument.build(routes, json, version,
                List.of("openapi-components.json", "openapi-environments.json", "openapi-administration.json",
                        "openapi-membership.json", "openapi-sessions.json",
                        "openapi-attestation.json", "openapi-policy.json"));
        LOG.info("Command API at {} with {} routes, bodies up to {} bytes", ApiContext.PATH, routes.size(), maxBodyBytes);
    }

    /** The route table: what is enforced here is what the authorization tests read. */
    List<Route> routes() {
        return routes;
    }

    private Object openApi() {
        return openApi;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        try {
            Answer answer = dispatch(request);
            if (answer.reply() == null) {
                answerWhenDurable(request, response, answer);
                return;
            }
            write(response, answer.reply());
        } catch (RuntimeException e) {
            writeProblem(response, problem(e));
        }
        discardUnreadBody(request, response);
    }

    /**
     * Answers once the request's write is durable, without holding a thread meanwhile: the request
     * thread goes back to the container, and one of the container's threads writes the answer after
     * the commit. A thread parked per request, woken after each commit, had cost more than the
     * request's own work.
     */
    private void answerWhenDurable(HttpServletRequest request, HttpServletResponse response, Answer answer) {
        discardUnreadBody(request, response);
        AsyncContext async = request.startAsync();
        // the writer completes or fails every queued piece of work, also when the database closes
        async.setTimeout(0);
        // on the writer thread: only hand over to the container
        answer.durable().whenComplete((reply, failure) -> async.start(() -> {
            try {
                if (failure == null) {
                    write(response, reply);
                } else {
                    writeProblem(response, refusal(answer.failed(), failure instanceof CompletionException completion
                            && completion.getCause() != null ? completion.getCause() : failure));
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Answer not delivered: {}", describe(e));
            } finally {
                async.complete();
            }
        }));
    }

    /** The problem for a write that failed, once what the failure needs (its audit record) is done. */
    private static ApiProblem refusal(Function<Throwable, ApiProblem> failed, Throwable failure) {
        try {
            return failed.apply(failure);
        } catch (RuntimeException e) {
            return internalError(e);
        }
    }

    private void write(HttpServletResponse response, Reply reply) throws IOException {
        response.setStatus(reply.status());
        if (reply.location() != null) {
            response.setHeader("Location", ApiContext.PATH + reply.location());
        }
        if (reply.body() instanceof JsonLines lines) {
            response.setContentType(JsonLines.MEDIA_TYPE);
            writeLines(response, lines);
        } else if (reply.body() != null) {
            response.setContentType(JSON);
            json.writeValue(response.getOutputStream(), reply.body());
        }
    }

    /** The problem a failure is answered with: a refusal's own 4xx, anything else an internal error. */
    private static ApiProblem problem(Throwable failure) {
        if (failure instanceof ApiProblem problem) {
            return problem;
        }
        return failure instanceof DomainException refusal ? translate(refusal) : internalError(failure);
    }

    /** The caller gets a reference, the log gets the failure; neither gets a stack trace in the answer. */
    private static ApiProblem internalError(Throwable failure) {
        String reference = UUID.randomUUID().toString();
        LOG.error("Request failed unexpectedly, reference {}: {}", reference, describe(failure));
        LOG.debug("Failure {}", reference, failure);
        return new ApiProblem(500, "internal", "Internal error", "the request could not be completed; reference "
                + reference);
    }

    /** Streams the lines; a failure half-way can only cut the answer short. */
    private void writeLines(HttpServletResponse response, JsonLines lines) throws IOException {
        OutputStream out = response.getOutputStream();
        // One generator per line that neither closes nor flushes the response: Jetty's buffer batches the writes.
        ObjectWriter line = json.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .without(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        lines.forEach(value -> {
            try {
                line.writeValue(out, value);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Reads, up to the body limit, what is left of a body that was not needed (a request refused
     * before its body was read, a route that takes none). Jetty closes a connection whose request
     * was not read to the end, and a client still sending its body then fails with a broken pipe
     * instead of reading the answer.
     */
    private void discardUnreadBody(HttpServletRequest request, HttpServletResponse response) {
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
     * A reply ready to send, or the write it waits for: {@code durable} completes with the reply
     * once the request's transaction (its change, or only its audit record) is durable, and
     * {@code failed} turns a failure of that transaction into the problem to answer, after auditing it.
     */
    private record Answer(Reply reply, CompletableFuture<Reply> durable, Function<Throwable, ApiProblem> failed) {

        static Answer now(Reply reply) {
            return new Answer(reply, null, null);
        }

        static Answer whenDurable(CompletableFuture<Reply> durable, Function<Throwable, ApiProblem> failed) {
            return new Answer(null, durable, failed);
        }
    }

    private Answer dispatch(HttpServletRequest request) {
        List<String> path = segments(request.getPathInfo());
        Route route = null;
        Map<String, String> parameters = null;
        TreeSet<String> allowed = new TreeSet<>();
        for (Route candidate : routes) {
            Map<String, String> match = candidate.match(path);
            if (match != null) {
                allowed.add(candidate.method());
                if (candidate.method().equals(request.getMethod())) {
                    route = candidate;
                    parameters = match;
                }
            }
        }
        if (route == null) {
            if (allowed.isEmpty()) {
                throw ApiProblem.notFound("no such resource");
            }
            throw new ApiProblem(405, "method-not-allowed", "Method not allowed",
                    request.getMethod() + " is not allowed here", Map.of("Allow", String.join(", ", allowed)));
        }
        return route.access().isAdministrative() ? administrative(route, parameters, request)
                : anonymous(route, parameters, request);
    }

    private Answer anonymous(Route route, Map<String, String> parameters, HttpServletRequest request) {
        Call call = new Call(parameters, request.getParameterMap(), request::getHeader, null, json);
        call.readBody(() -> body(request, route));
        Reply reply = route.handler().handle(call);
        return reply.durable() == null ? Answer.now(reply)
                : Answer.whenDurable(reply.durable(), CommandApiServlet::problem);
    }

    private Answer administrative(Route route, Map<String, String> parameters, HttpServletRequest request) {
        AdminPrincipal principal = authenticate(request).orElse(null);
        if (principal == null) {
            // bounded: anyone can send these, so they must not grow the log per request
            unauthenticated.refused(route.action(), parameters.get("env"));
            throw ApiProblem.unauthorized("a valid admin token is required");
        }
        authorize(route, principal, parameters);
        String environmentId = parameters.getOrDefault("env", principal.environmentId());
        Call call = new Call(parameters, request.getParameterMap(), request::getHeader, principal, json);
        Function<Throwable, ApiProblem> failed = e -> failed(route, principal, environmentId, call, e);
        try {
            call.readBody(() -> body(request, route));
            if (route.mutates()) {
                String confirmation = route.takesConfirmation() ? request.getHeader(Route.CONFIRM_HEADER) : null;
                if (confirmation != null) {
                    // the PIN's slow derivation here, not on the database's one writer thread
                    pin.prepare(confirmation);
                }
                return Answer.whenDurable(database.submit(handle -> {
                    Reply reply = route.handler().handle(call);
                    record(route, principal, environmentId, call.target(), AuditOutcome.ALLOWED, null);
                    return reply;
                }), failed);
            }
            Reply reply = route.handler().handle(call);
            if (reply.body() instanceof JsonLines) {
                // a stream is read while it is written: its record first, durable, as before any answer
                record(route, principal, environmentId, call.target(), AuditOutcome.ALLOWED, null);
                return Answer.now(reply);
            }
            return Answer.whenDurable(database.submit(handle -> {
                record(route, principal, environmentId, call.target(), AuditOutcome.ALLOWED, null);
                return reply;
            }), failed);
        } catch (RuntimeException e) {
            throw failed.apply(e);
        }
    }

    /**
     * Audits a request that failed and gives the problem to answer: a refusal (bad input, a
     * conflict, an unknown id) as its 4xx, anything else as an internal error.
     */
    private ApiProblem failed(Route route, AdminPrincipal principal, String environmentId, Call call,
            Throwable failure) {
        if (failure instanceof ApiProblem || failure instanceof DomainException) {
            record(route, principal, environmentId, call.target(), AuditOutcome.FAILED, category(failure));
        } else {
            recordInternalFailure(route, principal, environmentId, call.target());
        }
        return problem(failure);
    }

    /**
     * Deny by default. A token scoped to another environment learns nothing: the environment
     * answers 404 exactly as one that never existed.
     */
    private void authorize(Route route, AdminPrincipal principal, Map<String, String> parameters) {
        Access access = route.access();
        String environmentId = parameters.get("env");
        switch (access.scope()) {
            case ENVIRONMENT -> {
                if (!principal.reaches(environmentId)) {
                    record(route, principal, principal.environmentId(), environmentId, AuditOutcome.DENIED, "SCOPE");
                    throw ApiProblem.notFound("environment not found");
                }
            }
            case INSTALLATION -> {
                if (!principal.role().isInstallationWide()) {
                    record(route, principal, principal.environmentId(), null, AuditOutcome.DENIED, "SCOPE");
                    throw ApiProblem.forbidden("this needs an installation-wide token");
                }
            }
            default -> {
                // any administrator: the handler narrows what it shows to the caller's scope
            }
        }
        if (!access.roles().contains(principal.role())) {
            record(route, principal, environmentId != null ? environmentId : principal.environmentId(),
                    environmentId, AuditOutcome.DENIED, "ROLE");
            throw ApiProblem.forbidden("the role " + principal.role() + " may not do this");
        }
    }

    private Optional<AdminPrincipal> authenticate(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return tokens.authenticate(header.substring(7).strip());
    }

    private void record(Route route, AdminPrincipal principal, String environmentId, String target,
            AuditOutcome outcome, String category) {
        audit.append(new AuditEntry(principal == null ? null : principal.tokenId(),
                principal == null ? null : principal.role().name(), environmentId, route.action(), target, outcome,
                category));
    }

    /** Best effort: the failure may be the database itself, and the caller must still get its answer. */
    private void recordInternalFailure(Route route, AdminPrincipal principal, String environmentId, String target) {
        try {
            record(route, principal, environmentId, target, AuditOutcome.FAILED, "INTERNAL");
        } catch (RuntimeException e) {
            LOG.error("Could not audit a failed request: {}", describe(e));
        }
    }

    private byte[] body(HttpServletRequest request, Route route) {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        if (route.operation().requestSchema() == null) {
            return NO_BODY;
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(JSON)) {
            throw new ApiProblem(415, "unsupported-media-type", "Unsupported media type", "the body must be " + JSON);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw ApiProblem.badRequest("malformed-body", "the body could not be read");
        } catch (RuntimeException e) {
            // Jetty's blocking stream refuses a body arriving slower than the connector's minimum rate unchecked
            throw new ApiProblem(408, "request-timeout", "Request timeout",
                    "the body arrived slower than the server accepts", Map.of("Connection", "close"));
        }
    }

    private ApiProblem tooLarge() {
        return new ApiProblem(413, "body-too-large", "Body too large",
                "the body must not exceed " + maxBodyBytes + " bytes", Map.of("Connection", "close"));
    }

    private static ApiProblem translate(DomainException e) {
        if (e instanceof NotFoundException) {
            return ApiProblem.notFound(e.getMessage());
        }
        if (e instanceof ConflictException) {
            return new ApiProblem(409, "conflict", "Conflict", e.getMessage());
        }
        if (e instanceof InvalidRequestException invalid) {
            return new InvalidField(invalid);
        }
        if (e instanceof RateLimitedException limited) {
            long seconds = Math.max(1, (limited.retryAfter().toMillis() + 999) / 1000);
            return new ApiProblem(429, "rate-limited", "Too many requests", e.getMessage(),
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        if (e instanceof AccessDeniedException denied) {
            return new DecisionRefusal(denied);
        }
        if (e instanceof AuthenticationFailedException) {
            return new ApiProblem(401, "unauthorized", "Authentication required", e.getMessage());
        }
        if (e instanceof ForbiddenException) {
            return ApiProblem.forbidden(e.getMessage());
        }
        return new ApiProblem(422, "rejected", "Rejected", e.getMessage());
    }

    /** A 422 that names the offending field. */
    static final class InvalidField extends ApiProblem {
        private static final long serialVersionUID = 1L;
        private final String field;

        InvalidField(InvalidRequestException e) {
            super(422, "invalid-field", "Invalid field", e.getMessage());
            this.field = e.field();
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
    }

    /**
     * A refused request's audit category. A missing or wrong PIN is CONFIRMATION; any other refusal
     * of a known caller by the route's own rule (only a token's issuer revokes it) is about who may
     * act on what, ROLE: CONFIRMATION there would send a reviewer looking for PIN guessing.
     */
    private static String category(Throwable e) {
        if (e instanceof NotFoundException) {
            return "NOT_FOUND";
        }
        if (e instanceof ConflictException) {
            return "CONFLICT";
        }
        if (e instanceof RateLimitedException) {
            return "RATE_LIMITED";
        }
        if (e instanceof ConfirmationRefusedException || e instanceof AuthenticationFailedException) {
            return "CONFIRMATION";
        }
        if (e instanceof ForbiddenException) {
            return "ROLE";
        }
        return "INVALID_REQUEST";
    }

    private void writeProblem(HttpServletResponse response, ApiProblem problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setStatus(problem.status());
        problem.headers().forEach(response::setHeader);
        response.setContentType(PROBLEM_JSON);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        if (problem instanceof InvalidField invalid) {
            body.put("field", invalid.field);
        }
        if (problem instanceof DecisionRefusal refusal) {
            body.put("categories", refusal.categories);
        }
        json.writeValue(response.getOutputStream(), body);
    }

    private static List<String> segments(String pathInfo) {
        if (pathInfo == null || pathInfo.isEmpty() || "/".equals(pathInfo)) {
            return List.of();
        }
        return Arrays.asList(pathInfo.substring(1).split("/", -1));
    }

    /** The exception's type chain only: messages may quote SQL parameters or input. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getName());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause.getClass().getName());
        }
        return text.toString();
    }
}
