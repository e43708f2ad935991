package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.OWNER;
import static io.enigm.server.admin.AdminRole.POLICY_ADMIN;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.http.internal.PolicyRequests.SimulateAccess;
import io.enigm.server.http.internal.PolicyViews.PolicyVersionView;
import io.enigm.server.http.internal.PolicyViews.SimulationView;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.http.internal.Views.PageView;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Policies;
import io.enigm.server.policy.PolicyEngine;

/** An environment's access policy: the version in force, new versions, history, simulation. */
final class PolicyRoutes {

    /** What a simulated request may assume a provider answered, beyond its results. */
    private static final String UNAVAILABLE = "UNAVAILABLE";

    private static final ObjectMapper JSON = ApiJson.mapper();

    private final Policies policies;
    private final PolicyEngine engine;

    PolicyRoutes(Policies policies, PolicyEngine engine) {
        this.policies = policies;
        this.engine = engine;
    }

    List<Route> routes() {
        Access policyAdmins = Access.environment(OWNER, ADMINISTRATOR, POLICY_ADMIN);
        return List.of(
                new Route("GET", "/environments/{env}/policy", "policy.get", policyAdmins,
                        new Operation("Get the policy version in force (version 0 is the built-in policy)", null, 200,
                                "PolicyVersion", List.of()),
                        call -> Reply.ok(PolicyVersionView.of(policies.current(call.path("env"))))),
                new Route("PUT", "/environments/{env}/policy", "policy.put", policyAdmins,
                        new Operation("Put a new policy version, in force for every decision after the answer; an"
                                + " invalid document is refused with 422 naming the field as a JSON pointer",
                                "PolicyDocument", 200, "PolicyVersion", List.of()),
                        this::put),
                new Route("GET", "/environments/{env}/policy/versions", "policy.versions", policyAdmins,
                        new Operation("List the policy versions, newest first, ending with the built-in version 0",
                                null, 200, "PolicyVersionPage", List.of("cursor", "limit")),
                        call -> Reply.ok(PageView.of(policies.versions(call.path("env"), call.page()),
                                PolicyVersionView::of))),
                new Route("POST", "/environments/{env}/policy/simulate", "policy.simulate", policyAdmins,
                        new Operation("Decide a hypothetical request under the policy in force, with assumed"
                                + " provider signals; shows the rules that matched and nothing is recorded",
                                "SimulateAccess", 200, "Simulation", List.of()),
                        this::simulate));
    }

    private Reply put(Call call) {
        String document = call.bodyText();
        try {
            // Malformed JSON is a 400 like any body; what breaks a policy rule is the policy bundle's 422.
            JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("malformed-json", "the body is not valid JSON");
        }
        PolicyVersionView after = PolicyVersionView.of(policies.put(call.path("env"), document,
                call.principal().tokenId()));
        call.changed(Map.of("version", after.version() - 1), Map.of("version", after.version()), List.of("version"));
        return Reply.ok(after);
    }

    private Reply simulate(Call call) {
        SimulateAccess request = call.body(SimulateAccess.class);
        AccessAction action = MembershipRequests.constant("action", required("action", request.action()),
                AccessAction.class);
        Map<SignalCategory, SignalResult> assumed = new EnumMap<>(SignalCategory.class);
        if (request.signals() != null) {
            request.signals().forEach((category, result) -> {
                SignalCategory signal = MembershipRequests.constant("signals", category, SignalCategory.class);
                if (result == null) {
                    throw new InvalidRequestException("signals." + category, "must be PASS, FAIL, UNKNOWN or "
                            + UNAVAILABLE);
                }
                if (!UNAVAILABLE.equals(result)) {
                    assumed.put(signal, MembershipRequests.constant("signals." + category, result, SignalResult.class));
                }
            });
        }
        String environmentId = call.path("env");
        AccessRequest access = new AccessRequest(environmentId, null, null, null,
                required("memberRole", request.memberRole()), required("memberActive", request.memberActive()),
                required("deviceTrusted", request.deviceTrusted()),
                request.openFinding() != null && request.openFinding(), action, request.resourceCategory(),
                request.sessionFresh() != null && request.sessionFresh() ? Instant.now() : null, Map.of());
        // The environment must be visible to the caller as one that exists.
        policies.current(environmentId);
        return Reply.ok(SimulationView.of(engine.simulate(access, assumed)));
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        return value;
    }
}
