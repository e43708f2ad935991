package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.CONTENT_ADMIN;
import static io.enigm.server.admin.AdminRole.DEVICE_ADMIN;
import static io.enigm.server.admin.AdminRole.MEMBERSHIP_ADMIN;
import static io.enigm.server.admin.AdminRole.OWNER;
import static io.enigm.server.admin.AdminRole.POLICY_ADMIN;
import static io.enigm.server.admin.AdminRole.SECURITY_REVIEWER;

import java.util.List;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.common.Page;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.http.internal.Views.EnvironmentView;
import io.enigm.server.http.internal.Views.PageView;

/** Environments: create, list, get, change settings, move through the lifecycle. */
final class EnvironmentRoutes {

    /** The settings an update's audit record names with old and new values: none of them is sensitive. */
    private static final List<String> AUDITED_SETTINGS = List.of("name", "regionLabel", "visibility",
            "contentLifetimeDays", "newDeviceTrust", "surfaces", "defensiveResponse");
    private static final List<String> AUDITED_LIFECYCLE = List.of("state", "closingEndsAt");

    private final EnvironmentService environments;

    EnvironmentRoutes(EnvironmentService environments) {
        this.environments = environments;
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/environments", "environment.create", Access.installation(OWNER),
                        new Operation("Create an environment", "CreateEnvironment", 201, "Environment", List.of()),
                        this::create).idempotent(Route.Idempotency.REPLAY),
                new Route("GET", "/environments", "environment.list", Access.anyAdministrator(),
                        new Operation("List the environments in the caller's scope", null, 200, "EnvironmentPage",
                                List.of("cursor", "limit")),
                        this::list),
                new Route("GET", "/environments/{env}", "environment.get",
                        Access.environment(OWNER, ADMINISTRATOR, MEMBERSHIP_ADMIN, DEVICE_ADMIN, POLICY_ADMIN,
                                CONTENT_ADMIN, SECURITY_REVIEWER),
                        new Operation("Get an environment", null, 200, "Environment", List.of()),
                        this::get),
                new Route("PATCH", "/environments/{env}", "environment.update",
                        Access.environment(OWNER, ADMINISTRATOR),
                        new Operation("Change an environment's name, region label, visibility, content lifetime or"
                                + " new-device trust; refused with 409 once it is closing", "ChangeEnvironment", 200,
                                "Environment", List.of()),
                        this::update),
                new Route("POST", "/environments/{env}/lifecycle", "environment.lifecycle",
                        Access.environment(OWNER, ADMINISTRATOR),
                        new Operation("Suspend, resume, close or delete an environment; close and delete need the"
                                + " critical-operation PIN in X-Enigm-Confirm", "ChangeLifecycle", 200, "Environment",
                                List.of(Route.CONFIRM_HEADER)),
                        this::lifecycle));
    }

    private Reply create(Call call) {
        Requests.CreateEnvironment request = call.body(Requests.CreateEnvironment.class);
        Environment environment = environments.create(new NewEnvironment(request.name(), request.regionLabel()));
        call.target(environment.id());
        return Reply.created("/environments/" + environment.id(), EnvironmentView.of(environment));
    }

    private Reply list(Call call) {
        AdminPrincipal principal = call.principal();
        if (principal.isInstallationWide()) {
            return Reply.ok(PageView.of(environments.list(call.page()), EnvironmentView::of));
        }
        call.page(); // an environment administrator's list is one item long, but bad paging is still bad input
        Environment own = environments.get(principal.environmentId());
        return Reply.ok(PageView.of(new Page<>(List.of(own), null), EnvironmentView::of));
    }

    private Reply get(Call call) {
        return Reply.ok(EnvironmentView.of(environments.get(call.path("env"))));
    }

    private Reply update(Call call) {
        EnvironmentChanges changes = call.body(LifecycleRequests.ChangeEnvironment.class).changes();
        EnvironmentView before = EnvironmentView.of(environments.get(call.path("env")));
        EnvironmentView after = EnvironmentView.of(environments.update(call.path("env"), changes));
        call.changed(before, after, AUDITED_SETTINGS);
        return Reply.ok(after);
    }

    private Reply lifecycle(Call call) {
        LifecycleAction action = call.body(LifecycleRequests.ChangeLifecycle.class).lifecycleAction();
        EnvironmentView before = EnvironmentView.of(environments.get(call.path("env")));
        EnvironmentView after = EnvironmentView.of(environments.apply(call.path("env"), action,
                call.header(Route.CONFIRM_HEADER)));
        call.changed(before, after, AUDITED_LIFECYCLE);
        return Reply.ok(after);
    }
}
