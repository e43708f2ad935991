package io.enigm.server.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
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
import io.enigm.server.common.DomainException;
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
import io.enigm.server.work.UnitOfWork;

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

    private final transient UnitOfWork work;
    private final transient AdminTokens tokens;
    private final transient AuditLog audit;
    private final transient CriticalOperationPin pin;
    private final transient UnauthenticatedRefusals unauthenticated;
    private final transient ObjectMapper json = ApiJson.mapper();
    private final transient List<Route> routes;
    private final transient Object openApi;
    private final transient RequestBodies bodies;

    @Activate
    public CommandApiServlet(@Reference UnitOfWork work, @Reference AdminTokens tokens,
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
        this.work = work;
        this.tokens = tokens;
        this.audit = audit;
        this.pin = pin;
        this.unauthenticated = unauthenticated;
        this.bodies = new RequestBodies(configuration.maxBodyBytes());
        String version = context.getBundle().getVersion().toString();
        List<Route> table = new ArrayList<>();
        table.addAll(new InstallationRoutes(work, version, this::openApi).routes());
        table.addAll(new EnvironmentRoutes(environments).routes());
        table.addAll(new PinRoutes(pin).routes());
        table.addAll(new AdminTokenRoutes(tokens).routes());
        table.addAll(new AuditRoutes(audit, securityEvents).routes());
        table.addAll(new JoinRequestRoutes(joinRequests, invites).routes());
        table.addAll(new MembershipRoutes(members).routes());
        table.addAll(new DeviceRoutes(devices, sessions).routes());
        table.addAll(new SessionRoutes(sessionTokens).routes());
        table.addAll(new PolicyRoutes(policies, policyEngine).routes());
        table.addAll(new AttestationRoutes(attestations, devices, sessions, work).routes());
        this.routes = List.copyOf(table);
        this.openApi = OpenApiDocument.build(routes, json, version,
                List.of("openapi-components.json", "openapi-environments.json", "openapi-administration.json",
                        "openapi-membership.json", "openapi-sessions.json",
                        "openapi-attestation.json", "openapi-policy.json"));
        LOG.info("Command API at {} with {} routes, bodies up to {} bytes", ApiContext.PATH, routes.size(), bodies.limit());
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
            writeProblem(response, Refusals.problem(e));
        }
        bodies.discardUnread(request, response);
    }

    /**
     * Answers once the request's write is durable, without holding a thread meanwhile: the request
     * thread goes back to the container, and one of the container's threads writes the answer after
     * the commit. A thread parked per request, woken after each commit, had cost more than the
     * request's own work.
     */
    private void answerWhenDurable(HttpServletRequest request, HttpServletResponse response, Answer answer) {
        bodies.discardUnread(request, response);
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
                LOG.debug("Answer not delivered: {}", Refusals.describe(e));
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
            return Refusals.internalError(e);
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
        call.readBody(() -> bodies.read(request, route));
        Reply reply = route.handler().handle(call);
        return reply.durable() == null ? Answer.now(reply)
                : Answer.whenDurable(reply.durable(), Refusals::problem);
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
            call.readBody(() -> bodies.read(request, route));
            if (route.mutates()) {
                String confirmation = route.takesConfirmation() ? request.getHeader(Route.CONFIRM_HEADER) : null;
                if (confirmation != null) {
                    // the PIN's slow derivation here, not on the database's one writer thread
                    pin.prepare(confirmation);
                }
                Route.Handler prepared = route.handler().prepare(call);
                return Answer.whenDurable(work.submit(() -> prepared.handle(call),
                        reply -> entry(route, principal, environmentId, call.target(), AuditOutcome.ALLOWED, null)),
                        failed);
            }
            Reply reply = route.handler().handle(call);
            if (reply.body() instanceof JsonLines) {
                // a stream is read while it is written: its record first, durable, as before any answer
                record(route, principal, environmentId, call.target(), AuditOutcome.ALLOWED, null);
                return Answer.now(reply);
            }
            return Answer.whenDurable(work.submit(() -> reply,
                    answered -> entry(route, principal, environmentId, call.target(), AuditOutcome.ALLOWED, null)),
                    failed);
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
            record(route, principal, environmentId, call.target(), AuditOutcome.FAILED, Refusals.category(failure));
        } else {
            recordInternalFailure(route, principal, environmentId, call.target());
        }
        return Refusals.problem(failure);
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
        audit.append(entry(route, principal, environmentId, target, outcome, category));
    }

    private static AuditEntry entry(Route route, AdminPrincipal principal, String environmentId, String target,
            AuditOutcome outcome, String category) {
        return new AuditEntry(principal == null ? null : principal.tokenId(),
                principal == null ? null : principal.role().name(), environmentId, route.action(), target, outcome,
                category);
    }

    /** Best effort: the failure may be the database itself, and the caller must still get its answer. */
    private void recordInternalFailure(Route route, AdminPrincipal principal, String environmentId, String target) {
        try {
            record(route, principal, environmentId, target, AuditOutcome.FAILED, "INTERNAL");
        } catch (RuntimeException e) {
            LOG.error("Could not audit a failed request: {}", Refusals.describe(e));
        }
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
        json.writeValue(response.getOutputStream(), Refusals.document(problem));
    }

    private static List<String> segments(String pathInfo) {
        if (pathInfo == null || pathInfo.isEmpty() || "/".equals(pathInfo)) {
            return List.of();
        }
        return Arrays.asList(pathInfo.substring(1).split("/", -1));
    }

}
