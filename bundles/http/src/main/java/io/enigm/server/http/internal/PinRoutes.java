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
                Route.Handler.preparedWrite(this::prepareSet)));
    }

    /** Both slow derivations here, before the request's transaction; the write only applies them. */
    private Route.Handler prepareSet(Call call) {
        LifecycleRequests.SetPin request = call.body(LifecycleRequests.SetPin.class);
        CriticalOperationPin.PinChange change = pin.prepareSet(request.pin(), request.currentPin());
        return sameCall -> {
            change.apply();
            return Reply.noContent();
        };
    }
}
