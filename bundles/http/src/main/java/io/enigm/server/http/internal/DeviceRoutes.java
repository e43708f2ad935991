package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.DEVICE_ADMIN;
import static io.enigm.server.admin.AdminRole.OWNER;

import java.util.List;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.http.internal.MembershipRequests.AddDevice;
import io.enigm.server.http.internal.MembershipRequests.ReplaceDevice;
import io.enigm.server.http.internal.MembershipRequests.RequestChallenge;
import io.enigm.server.http.internal.MembershipRequests.SetDeviceTrust;
import io.enigm.server.http.internal.MembershipViews.ChallengeView;
import io.enigm.server.http.internal.MembershipViews.DeviceView;
import io.enigm.server.http.internal.MembershipViews.SessionView;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.http.internal.Views.PageView;
import io.enigm.server.membership.DeviceAddition;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.Devices;
import io.enigm.server.membership.Sessions;

/**
 * Devices and sessions: device administrators' review, trust and revocation, and the public,
 * device-signed routes (challenge, adding a device) whose signatures the services check.
 */
final class DeviceRoutes {

    private final Devices devices;
    private final Sessions sessions;

    DeviceRoutes(Devices devices, Sessions sessions) {
        this.devices = devices;
        this.sessions = sessions;
    }

    List<Route> routes() {
        Access deviceAdmins = Access.environment(OWNER, ADMINISTRATOR, DEVICE_ADMIN);
        return List.of(
                new Route("POST", "/environments/{env}/sessions/challenge", "session.challenge", Access.anyone(),
                        new Operation("Get a single-use nonce (60 s) for a device to sign", "RequestChallenge", 200,
                                "SessionChallenge", List.of()),
                        this::challenge),
                new Route("POST", "/environments/{env}/devices", "device.add",
                        Access.provenBy(CallerProof.DEVICE_SIGNED_BODY),
                        new Operation("Add a device, vouched for by a trusted device of the same member", "AddDevice",
                                201, "Device", List.of()),
                        this::add),
                new Route("GET", "/environments/{env}/devices", "device.list", deviceAdmins,
                        new Operation("List devices by minimized identifiers", null, 200, "DevicePage",
                                List.of("member", "cursor", "limit")),
                        call -> Reply.ok(PageView.of(devices.list(call.path("env"), call.query("member"), call.page()),
                                DeviceView::of))),
                new Route("GET", "/environments/{env}/devices/{device}", "device.get", deviceAdmins,
                        new Operation("Get a device", null, 200, "Device", List.of()),
                        call -> Reply.ok(DeviceView.of(devices.get(call.path("env"), call.path("device"))))),
                new Route("POST", "/environments/{env}/devices/{device}/trust", "device.trust", deviceAdmins,
                        new Operation("Change a device's trust state", "SetDeviceTrust", 200, "Device", List.of()),
                        this::trust),
                new Route("POST", "/environments/{env}/devices/{device}/replace", "device.replace", deviceAdmins,
                        new Operation("Replace a device by another device of the same member", "ReplaceDevice", 200,
                                "Device", List.of()),
                        this::replace),
                new Route("DELETE", "/environments/{env}/devices/{device}", "device.remove", deviceAdmins,
                        new Operation("Revoke a device and close its sessions", null, 204, null, List.of()),
                        this::remove),
                new Route("GET", "/environments/{env}/sessions", "session.list", deviceAdmins,
                        new Operation("List open sessions", null, 200, "SessionPage",
                                List.of("member", "device", "cursor", "limit")),
                        call -> Reply.ok(PageView.of(sessions.list(call.path("env"), call.query("member"),
                                call.query("device"), call.page()), SessionView::of))),
                new Route("DELETE", "/environments/{env}/sessions/{session}", "session.close", deviceAdmins,
                        new Operation("Close a session at once", null, 204, null, List.of()),
                        this::close));
    }

    private Reply challenge(Call call) {
        RequestChallenge request = call.body(RequestChallenge.class);
        return Reply.ok(ChallengeView.of(sessions.challenge(call.path("env"), request.deviceId())));
    }

    private Reply add(Call call) {
        AddDevice request = call.body(AddDevice.class);
        DeviceView device = DeviceView.of(devices.add(call.path("env"), new DeviceAddition(request.devicePublicKey(),
                request.signingDeviceId(), request.nonce(), request.signature())));
        return Reply.created("/environments/" + call.path("env") + "/devices/" + device.id(), device);
    }

    private Reply trust(Call call) {
        SetDeviceTrust request = call.body(SetDeviceTrust.class);
        call.target(call.path("device"));
        DeviceTrust trust = MembershipRequests.constant("state", request.state(), DeviceTrust.class);
        if (trust == null) {
            throw new InvalidRequestException("state", "is required");
        }
        DeviceView before = DeviceView.of(devices.get(call.path("env"), call.path("device")));
        DeviceView after = DeviceView.of(devices.setTrust(call.path("env"), call.path("device"), trust));
        call.changed(before, after, List.of("trust"));
        return Reply.ok(after);
    }

    private Reply replace(Call call) {
        ReplaceDevice request = call.body(ReplaceDevice.class);
        call.target(call.path("device"));
        DeviceView before = DeviceView.of(devices.get(call.path("env"), call.path("device")));
        DeviceView after = DeviceView.of(devices.replace(call.path("env"), call.path("device"), request.newDeviceId()));
        call.changed(before, after, List.of("trust", "replacedBy"));
        return Reply.ok(after);
    }

    private Reply remove(Call call) {
        call.target(call.path("device"));
        devices.remove(call.path("env"), call.path("device"));
        return Reply.noContent();
    }

    private Reply close(Call call) {
        call.target(call.path("session"));
        sessions.close(call.path("env"), call.path("session"));
        return Reply.noContent();
    }
}
