package io.enigm.server.http.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;

/** The audit record of an administrative request: who, on which route, in which environment, with what outcome. */
final class RequestAudit {

    private static final Logger LOG = LoggerFactory.getLogger(RequestAudit.class);

    private final AuditLog audit;

    RequestAudit(AuditLog audit) {
        this.audit = audit;
    }

    static AuditEntry entry(Route route, AdminPrincipal principal, String environmentId, String target,
            AuditOutcome outcome, String category) {
        return new AuditEntry(principal.tokenId(), principal.role().name(), environmentId, route.action(), target,
                outcome, category);
    }

    void record(Route route, AdminPrincipal principal, String environmentId, String target, AuditOutcome outcome,
            String category) {
        audit.append(entry(route, principal, environmentId, target, outcome, category));
    }

    /**
     * Audits a request that failed and gives the problem to answer: a refusal (bad input, a
     * conflict, an unknown id) as its 4xx, anything else as an internal error.
     */
    ApiProblem failed(Route route, AdminPrincipal principal, String environmentId, String target,
            Throwable failure) {
        if (Refusals.isRefusal(failure)) {
            record(route, principal, environmentId, target, AuditOutcome.FAILED, Refusals.category(failure));
        } else {
            recordInternalFailure(route, principal, environmentId, target);
        }
        return Refusals.problem(failure);
    }

    /** Best effort: the failure may be the database itself, and the caller must still get its answer. */
    private void recordInternalFailure(Route route, AdminPrincipal principal, String environmentId, String target) {
        try {
            record(route, principal, environmentId, target, AuditOutcome.FAILED, "INTERNAL");
        } catch (RuntimeException e) {
            LOG.error("Could not audit a failed request: {}", Refusals.describe(e));
        }
    }
}
