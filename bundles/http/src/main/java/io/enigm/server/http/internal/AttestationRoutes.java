package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.DEVICE_ADMIN;
import static io.enigm.server.admin.AdminRole.OWNER;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.membership.Device;
import io.enigm.server.membership.Devices;

/**
 * Attestation providers for Command: which are deployed, what each knows of a device, and their
 * lifecycle operations (link a Key, bind an eSIM…) through one generic path per provider type.
 */
final class AttestationRoutes {

    private static final Pattern NAMED_FIELD = Pattern.compile("([a-z][A-Za-z]{0,63}) (?:is|must) .*",
            Pattern.DOTALL);

    private final AttestationRegistry registry;
    private final Devices devices;

    AttestationRoutes(AttestationRegistry registry, Devices devices) {
        this.registry = registry;
        this.devices = devices;
    }

    List<Route> routes() {
        Access deviceAdmins = Access.environment(OWNER, ADMINISTRATOR, DEVICE_ADMIN);
        return List.of(
                new Route("GET", "/providers", "provider.list", Access.anyAdministrator(),
                        new Operation("List the attestation providers deployed now", null, 200, "ProviderList",
                                List.of()),
                        call -> Reply.ok(Map.of("items", registry.providers().stream().map(ProviderView::of).toList()))),
                new Route("GET", "/environments/{env}/devices/{device}/attestations", "attestation.list",
                        deviceAdmins,
                        new Operation("What every deployed provider knows of a device", null, 200,
                                "DeviceAttestations", List.of()),
                        this::list),
                new Route("POST", "/environments/{env}/devices/{device}/attestations/{type}", "attestation.operate",
                        deviceAdmins,
                        new Operation("Run a provider's lifecycle operation for a device", "AttestationOperation", 200,
                                "Attestation", List.of()),
                        this::operate));
    }

    private Reply list(Call call) {
        DeviceRef device = device(call);
        Map<String, Object> attestations = new LinkedHashMap<>();
        for (ProviderInfo provider : registry.providers()) {
            try {
                attestations.put(provider.type(), registry.describe(device, provider.type()));
            } catch (NotFoundException e) {
                // the provider went away between listing and asking: it has nothing to say any more
            }
        }
        return Reply.ok(Map.of("deviceId", device.deviceId(), "attestations", attestations));
    }

    @SuppressWarnings("unchecked")
    private Reply operate(Call call) {
        String type = call.path("type");
        call.target(call.path("device"));
        Map<String, Object> body = new LinkedHashMap<>(call.body(Map.class));
        if (!(body.remove("operation") instanceof String operation) || operation.isEmpty()) {
            throw new InvalidRequestException("operation", "is required");
        }
        DeviceRef device = device(call);
        try {
            return Reply.ok(Map.of("type", type, "state", registry.operate(device, type, operation, body)));
        } catch (AttestationException e) {
            // the provider's message is written for administrators, without raw identifiers (see the SPI)
            if (e.reason() == AttestationException.Reason.CONFLICT) {
                throw new ConflictException(e.getMessage());
            }
            throw new InvalidRequestException(field(e.getMessage()), e.getMessage());
        }
    }

    /**
     * The field a provider's refusal is about when its message starts with one ("serial is
     * required", "iccid must be…"), else the operation as a whole.
     */
    private static String field(String message) {
        Matcher named = NAMED_FIELD.matcher(message == null ? "" : message);
        return named.matches() ? named.group(1) : "operation";
    }

    /**
     * The device as providers see it. Administrative operations carry no device signature, and no
     * built-in provider needs the device's own key for them, so the key is left empty here.
     */
    private DeviceRef device(Call call) {
        Device device = devices.get(call.path("env"), call.path("device"));
        return new DeviceRef(device.environmentId(), device.memberId(), device.id(), new byte[0]);
    }

    /** A deployed provider as Command shows it. */
    record ProviderView(String type, String name, String version, String category) {
        static ProviderView of(ProviderInfo provider) {
            return new ProviderView(provider.type(), provider.name(), provider.version(), provider.category().name());
        }
    }
}
