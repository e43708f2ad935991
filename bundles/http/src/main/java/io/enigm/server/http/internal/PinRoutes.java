package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.OWNER;

import java.util.List;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.http.internal.Route.Operation;

/** The installation's critical-operation PIN. */
final class PinRoutes {

    private final CriticalOperationPin pin;

    PinRoutes(CriticalOperationPin pin) {
        this.pin = pin;
    }

    List<Route> routes() {
        return List.of(new Route("PUT", "/pin", "pin.set", Access.installation(OWNER),
                new Operation("Set or change the critical-operation PIN", "SetPin", 204, null, List.of()),
                this::set));
    }

    private Reply set(Call call) {
        LifecycleRequests.SetPin request = call.body(LifecycleRequests.SetPin.class);
        pin.set(request.pin(), request.currentPin());
        return Reply.noContent();
    }
}
