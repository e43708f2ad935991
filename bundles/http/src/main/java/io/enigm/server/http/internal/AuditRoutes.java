package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.OWNER;
import static io.enigm.server.admin.AdminRole.SECURITY_REVIEWER;

import java.util.List;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.http.internal.Route.Operation;

/** Reading the audit log: the installation's for the owner, one environment's for its reviewers. */
final class AuditRoutes {

    record AuditRecordView(long sequence, String recordedAt, String actor, String role, String environmentId,
            String action, String target, String outcome, String category, String previousHash, String hash) {

        static AuditRecordView of(AuditRecord record) {
            return new AuditRecordView(record.sequence(), record.recordedAt().toString(), record.entry().actor(),
                    record.entry().role(), record.entry().environmentId(), record.entry().action(),
                    record.entry().target(), record.entry().outcome().name(), record.entry().category(),
                    record.previousHash(), record.hash());
        }
    }

    private final AuditLog audit;

    AuditRoutes(AuditLog audit) {
        this.audit = audit;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/audit", "audit.list", Access.installation(OWNER),
                        new Operation("The installation's audit records, oldest first", null, 200, "AuditPage",
                                List.of("cursor", "limit")),
                        call -> Reply.ok(Views.PageView.of(audit.list(null, call.page()), AuditRecordView::of))),
                new Route("GET", "/environments/{env}/audit", "environment.audit.list",
                        Access.environment(OWNER, ADMINISTRATOR, SECURITY_REVIEWER),
                        new Operation("One environment's audit records, oldest first", null, 200, "AuditPage",
                                List.of("cursor", "limit")),
                        call -> Reply.ok(Views.PageView.of(audit.list(call.path("env"), call.page()),
                                AuditRecordView::of))));
    }
}
