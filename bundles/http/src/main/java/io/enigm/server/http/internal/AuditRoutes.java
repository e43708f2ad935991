package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.OWNER;
import static io.enigm.server.admin.AdminRole.SECURITY_REVIEWER;

import java.util.List;

import io.enigm.server.audit.AuditChange;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.security.SecurityEventCategory;

/**
 * Review: the audit log (the installation's and its chain check for the owner, one environment's
 * for its reviewers) and the security events, of one environment or (the Enigm Intelligence feed)
 * of the whole installation.
 */
final class AuditRoutes {

    record AuditRecordView(long sequence, String recordedAt, String actor, String role, String environmentId,
            String action, String target, String outcome, String category, List<AuditChange> changes,
            String previousHash, String hash) {

        static AuditRecordView of(AuditRecord record) {
            return new AuditRecordView(record.sequence(), record.recordedAt().toString(), record.entry().actor(),
                    record.entry().role(), record.entry().environmentId(), record.entry().action(),
                    record.entry().target(), record.entry().outcome().name(), record.entry().category(),
                    record.entry().changes(), record.previousHash(), record.hash());
        }
    }

    record SecurityEventView(String id, String environmentId, String category, String group, String risk,
            String subjectHandle, String createdAt, long occurrences) {

        static SecurityEventView of(SecurityEvent event) {
            return new SecurityEventView(event.id(), event.environmentId(), event.category(),
                    SecurityEventCategory.valueOf(event.category()).group().name(), event.risk(),
                    event.subjectHandle(), event.createdAt().toString(), event.occurrences());
        }
    }

    private final AuditLog audit;
    private final SecurityEventFeed securityEvents;

    AuditRoutes(AuditLog audit, SecurityEventFeed securityEvents) {
        this.audit = audit;
        this.securityEvents = securityEvents;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/audit", "audit.list", Access.installation(OWNER),
                        new Operation("The installation's audit records, oldest first", null, 200, "AuditPage",
                                List.of("cursor", "limit")),
                        call -> Reply.ok(Views.PageView.of(audit.list(null, call.page()), AuditRecordView::of))),
                new Route("GET", "/audit/verify", "audit.verify", Access.installation(OWNER),
                        new Operation("Check the whole audit chain: every record in sequence, naming its"
                                + " predecessor's hash and hashing to its own", null, 200, "AuditVerification",
                                List.of()),
                        call -> Reply.ok(audit.verify())),
                new Route("GET", "/audit/export", "audit.export", Access.installation(OWNER),
                        new Operation("The whole audit chain as JSON Lines that verify with no access to the"
                                + " server: a header (start, checkpoint public key), the signed checkpoints, then"
                                + " every record with the fields its hash covers (docs/audit.md)", null, 200,
                                "AuditExportLine", List.of(), JsonLines.MEDIA_TYPE),
                        call -> Reply.ok((JsonLines) out -> audit.export(null, out))),
                new Route("GET", "/environments/{env}/audit", "environment.audit.list",
                        Access.environment(OWNER, ADMINISTRATOR, SECURITY_REVIEWER),
                        new Operation("One environment's audit records, oldest first", null, 200, "AuditPage",
                                List.of("cursor", "limit")),
                        call -> Reply.ok(Views.PageView.of(audit.list(call.path("env"), call.page()),
                                AuditRecordView::of))),
                new Route("GET", "/environments/{env}/audit/export", "environment.audit.export",
                        Access.environment(OWNER, ADMINISTRATOR, SECURITY_REVIEWER),
                        new Operation("The audit chain as JSON Lines that verify with no access to the server,"
                                + " showing this environment's records and every other record as its link alone"
                                + " (docs/audit.md)", null, 200, "AuditExportLine", List.of(), JsonLines.MEDIA_TYPE),
                        call -> Reply.ok((JsonLines) out -> audit.export(call.path("env"), out))),
                new Route("GET", "/environments/{env}/security-events", "environment.security-events.list",
                        Access.environment(OWNER, ADMINISTRATOR, SECURITY_REVIEWER),
                        new Operation("One environment's security events, oldest first: categories, risk classes"
                                + " and handles only", null, 200, "SecurityEventPage",
                                List.of("cursor", "limit", "class", "category")),
                        call -> Reply.ok(Views.PageView.of(securityEvents.list(call.path("env"),
                                SecurityEventFilters.ofEnvironment(call), call.page()), SecurityEventView::of))),
                new Route("GET", "/security-events", "security-events.list",
                        Access.installation(OWNER, SECURITY_REVIEWER),
                        new Operation("Every environment's security events and the installation's own, oldest"
                                + " first: the Enigm Intelligence feed, minimized to categories, risk classes and"
                                + " per-environment handles", null, 200, "SecurityEventPage",
                                List.of("cursor", "limit", "class", "category", "environment")),
                        call -> Reply.ok(Views.PageView.of(securityEvents.listInstallation(
                                SecurityEventFilters.ofInstallation(call), call.page()), SecurityEventView::of))));
    }
}
