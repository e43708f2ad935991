package io.enigm.server.http.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.content.ContentAdministration;
import io.enigm.server.content.ContentDeletions;
import io.enigm.server.content.MemberContent;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.membership.AccountClosure;
import io.enigm.server.membership.Devices;
import io.enigm.server.membership.Invites;
import io.enigm.server.membership.JoinRequests;
import io.enigm.server.membership.MemberDirectory;
import io.enigm.server.membership.Members;
import io.enigm.server.health.InstallationHealth;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.membership.SessionTokens;
import io.enigm.server.membership.Sessions;
import io.enigm.server.policy.Policies;
import io.enigm.server.policy.PolicyEngine;
import io.enigm.server.webhook.WebhookOutbox;
import io.enigm.server.work.UnitOfWork;

/**
 * The API's route table, with the OpenAPI document generated from it: what {@link ApiContext}
 * enforces, what {@link CommandApiServlet} runs and what the document (and the authorization matrix
 * test that reads it) describes are one table.
 */
@Component(service = ApiRoutes.class)
public class ApiRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final List<String> OPENAPI_COMPONENTS = List.of("openapi-components.json",
            "openapi-environments.json", "openapi-administration.json", "openapi-membership.json",
            "openapi-sessions.json", "openapi-attestation.json", "openapi-policy.json", "openapi-content.json");

    private final RouteTable table;
    private final Object openApi;

    @Activate
    public ApiRoutes(@Reference UnitOfWork work, @Reference AdminTokens tokens, @Reference AuditLog audit,
            @Reference EnvironmentService environments, @Reference CriticalOperationPin pin,
            @Reference JoinRequests joinRequests, @Reference Invites invites, @Reference Members members,
            @Reference AccountClosure closures, @Reference Devices devices, @Reference Sessions sessions,
            @Reference SessionTokens sessionTokens, @Reference AttestationRegistry attestations,
            @Reference SecurityEventFeed securityEvents, @Reference Policies policies,
            @Reference PolicyEngine policyEngine, @Reference MemberContent content,
            @Reference ContentAdministration contentAdministration, @Reference ContentDeletions deletions,
            @Reference LegalHolds holds, @Reference MemberDirectory directory, @Reference WebhookOutbox webhook,
            @Reference InstallationHealth health, BundleContext context) {
        this(context.getBundle().getVersion().toString(), work, tokens, audit, environments, pin, joinRequests,
                invites, members, closures, devices, sessions, sessionTokens, attestations, securityEvents, policies,
                policyEngine, content, contentAdministration, deletions, holds, directory, webhook, health);
        LOG.info("Command API at {} with {} routes", ApiContext.PATH, table.routes().size());
    }

    ApiRoutes(String version, UnitOfWork work, AdminTokens tokens, AuditLog audit, EnvironmentService environments,
            CriticalOperationPin pin, JoinRequests joinRequests, Invites invites, Members members,
            AccountClosure closures, Devices devices, Sessions sessions, SessionTokens sessionTokens,
            AttestationRegistry attestations, SecurityEventFeed securityEvents, Policies policies,
            PolicyEngine policyEngine, MemberContent content, ContentAdministration contentAdministration,
            ContentDeletions deletions, LegalHolds holds, MemberDirectory directory, WebhookOutbox webhook,
            InstallationHealth health) {
        List<Route> routes = new ArrayList<>();
        routes.addAll(new InstallationRoutes(health, version, this::openApi).routes());
        routes.addAll(new EnvironmentRoutes(environments).routes());
        routes.addAll(new LegalHoldRoutes(holds).routes());
        routes.addAll(new PinRoutes(pin).routes());
        routes.addAll(new AdminTokenRoutes(tokens).routes());
        routes.addAll(new AuditRoutes(audit, securityEvents).routes());
        routes.addAll(new JoinRequestRoutes(joinRequests, invites).routes());
        routes.addAll(new MembershipRoutes(members, closures).routes());
        routes.addAll(new DeviceRoutes(devices, sessions).routes());
        routes.addAll(new SessionRoutes(sessionTokens).routes());
        routes.addAll(new DirectoryRoutes(sessionTokens, directory).routes());
        routes.addAll(new PolicyRoutes(policies, policyEngine).routes());
        routes.addAll(new AttestationRoutes(attestations, devices, sessions, work).routes());
        routes.addAll(new ContentRoutes(content, contentAdministration, deletions).routes());
        routes.addAll(new WebhookRoutes(webhook).routes());
        this.table = new RouteTable(routes);
        this.openApi = OpenApiDocument.build(table.routes(), ApiJson.mapper(), version, OPENAPI_COMPONENTS);
    }

    RouteTable table() {
        return table;
    }

    private Object openApi() {
        return openApi;
    }
}
