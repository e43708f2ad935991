package io.enigm.server.http.internal;

import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.work.IdempotentAnswers;
import io.enigm.server.work.UnitOfWork;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Runs the route a request was admitted to. A public route's handler runs as it is; an
 * administrative one runs with its audit record as one unit of work, answered once durable (a read
 * too: its record is durable before its answer), and a failure is audited before it is answered.
 */
final class RouteExecution {

    private final UnitOfWork work;
    private final CriticalOperationPin pin;
    private final RequestAudit audit;
    private final RequestBodies bodies;
    private final ObjectMapper json;
    private final IdempotentCreations creations;

    RouteExecution(UnitOfWork work, CriticalOperationPin pin, IdempotentAnswers answers, RequestAudit audit,
            RequestBodies bodies, ObjectMapper json) {
        this.work = work;
        this.pin = pin;
        this.audit = audit;
        this.bodies = bodies;
        this.json = json;
        this.creations = new IdempotentCreations(answers, json);
    }

    Answer run(ApiContext.Admitted admitted, HttpServletRequest request) {
        return admitted.principal() == null ? anonymous(admitted.match(), request)
                : administrative(admitted.match(), admitted.principal(), request);
    }

    private Answer anonymous(RouteTable.Match match, HttpServletRequest request) {
        Route route = match.route();
        Call call = new Call(match.parameters(), request::getParameterValues, request::getHeader, null, json);
        if (route.operation().streamsBody()) {
            call.streamBody(bodies.stream(request, route));
        } else {
            call.readBody(() -> bodies.read(request, route));
        }
        Reply reply = route.handler().handle(call);
        return reply.durable() == null ? Answer.now(reply) : Answer.whenDurable(reply.durable(), Refusals::problem);
    }

    private Answer administrative(RouteTable.Match match, AdminPrincipal principal, HttpServletRequest request) {
        Route route = match.route();
        String environmentId = match.parameters().getOrDefault("env", principal.environmentId());
        Call call = new Call(match.parameters(), request::getParameterValues, request::getHeader, principal, json);
        Function<Throwable, ApiProblem> failed = e -> audit.failed(route, principal, environmentId, call.target(), e);
        try {
            call.readBody(() -> bodies.read(request, route));
            if (route.mutates()) {
                String confirmation = route.takesConfirmation() ? request.getHeader(Route.CONFIRM_HEADER) : null;
                if (confirmation != null) {
                    // the PIN's slow derivation here, not on the database's one writer thread
                    pin.prepare(confirmation);
                }
                Route.Handler prepared = route.handler().prepare(call);
                Supplier<Reply> operation = creations.once(route, match.parameters(), call, () -> prepared.handle(call));
                return Answer.whenDurable(work.submit(operation, reply -> RequestAudit.entry(route,
                        principal, environmentId, call.target(), AuditOutcome.ALLOWED, null)
                        .withChanges(call.changes())), failed);
            }
            Reply reply = route.handler().handle(call);
            if (reply.body() instanceof JsonLines) {
                // a stream is read while it is written: its record first, durable, as before any answer
                audit.record(route, principal, environmentId, call.target(), AuditOutcome.ALLOWED, null);
                return Answer.now(reply);
            }
            return Answer.whenDurable(work.submit(() -> reply, answered -> RequestAudit.entry(route, principal,
                    environmentId, call.target(), AuditOutcome.ALLOWED, null)), failed);
        } catch (RuntimeException e) {
            throw failed.apply(e);
        }
    }
}
