package io.enigm.server.http.internal;

import static io.enigm.server.admin.AdminRole.ADMINISTRATOR;
import static io.enigm.server.admin.AdminRole.DEVICE_ADMIN;
import static io.enigm.server.admin.AdminRole.OWNER;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.enigm.server.attestation.registry.AttestationChange;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.UnavailableException;
import io.enigm.server.http.internal.Route.Operation;
import io.enigm.server.membership.Device;
import io.enigm.server.membership.Devices;
import io.enigm.server.membership.Sessions;
import io.enigm.server.work.UnitOfWork;

/**
 * Attestation providers for Command: which are deployed, what each knows of a device, and their
 * lifecycle operations (link a Key, bind an eSIM…) through one generic path per provider type; and
 * the callback path where a provider's outside service reports on its own signed authority.
 *
 * <p>Provider code runs before the request's transaction, within its budget on the registry's
 * threads: the database's one writer never waits on a provider. The transaction then only applies
 * what the provider decided (refused 409 if the device's records changed meanwhile), closes the
 * device's sessions when the change withdraws their assurance, and audits.
 */
final class AttestationRoutes {

    private static final Pattern NAMED_FIELD = Pattern.compile("([a-z][A-Za-z]{0,63}) (?:is|must) .*",
            Pattern.DOTALL);

    private final AttestationRegistry registry;
    private final Devices devices;
    private final Sessions sessions;
    private final UnitOfWork work;

    AttestationRoutes(AttestationRegistry registry, Devices devices, Sessions sessions, UnitOfWork work) {
        this.registry = registry;
        this.devices = devices;
        this.sessions = sessions;
        this.work = work;
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
                        Route.Handler.preparedWrite(this::prepareOperation)),
                new Route("POST", "/environments/{env}/devices/{device}/attestations/{type}/callback",
                        "attestation.callback", Access.provenBy(CallerProof.PROVIDER_SIGNED_BODY),
                        new Operation("A provider's outside service reports on a device, authenticated by its own"
                                + " signature in the body (e.g. managed-device: report and signature)",
                                "AttestationOperation", 200, "AttestationCallbackReceipt", List.of()),
                        this::callback));
    }

    /**
     * Unauthenticated by token, so every refusal reads the same, whether the environment, device or
     * provider does not exist or the provider did not accept the call: the path answers no questions.
     * An accepted callback changes the device's records and is audited with them.
     */
    @SuppressWarnings("unchecked")
    private Reply callback(Call call) {
        String type = call.path("type");
        Map<String, Object> body = new LinkedHashMap<>(call.body(Map.class));
        if (!(body.remove("operation") instanceof String operation) || operation.isEmpty()) {
            throw new InvalidRequestException("operation", "is required");
        }
        try {
            DeviceRef device = device(call);
            // authenticated and run by the provider before any write: forged calls cost no transaction
            AttestationChange change = registry.prepareCallback(device, type, operation, body);
            work.run(() -> apply(device, change), applied -> new AuditEntry(null, null, device.environmentId(),
                    "attestation.callback", device.deviceId(), AuditOutcome.ALLOWED, type));
        } catch (NotFoundException | AttestationException | ConflictException | UnavailableException e) {
            throw notAccepted();
        }
        return Reply.ok(Map.of("type", type, "accepted", true));
    }

    /** In the request's transaction: the provider's change, and the end of the sessions it withdraws. */
    private AttestationChange apply(DeviceRef device, AttestationChange change) {
        change.apply();
        if (change.endsSessions()) {
            sessions.closeAllOfDevice(device.environmentId(), device.deviceId());
        }
        return change;
    }

    private static ApiProblem notAccepted() {
        return ApiProblem.unauthorized("the callback is not accepted");
    }

    private Reply list(Call call) {
        DeviceRef device = device(call);
        Map<String, Object> attestations = new LinkedHashMap<>();
        for (String type : registry.providers().stream().map(ProviderInfo::type).distinct().toList()) {
            try {
                attestations.put(type, registry.describe(device, type));
            } catch (NotFoundException e) {
                // the provider went away between listing and asking: it has nothing to say any more
            }
        }
        return Reply.ok(Map.of("deviceId", device.deviceId(), "attestations", attestations));
    }

    /** An administrator's operation: the provider runs here, before the transaction, which only applies. */
    @SuppressWarnings("unchecked")
    private Route.Handler prepareOperation(Call call) {
        String type = call.path("type");
        call.target(call.path("device"));
        Map<String, Object> body = new LinkedHashMap<>(call.body(Map.class));
        if (!(body.remove("operation") instanceof String operation) || operation.isEmpty()) {
            throw new InvalidRequestException("operation", "is required");
        }
        DeviceRef device = device(call);
        AttestationChange change;
        try {
            change = registry.prepareOperation(device, type, operation, body);
        } catch (AttestationException e) {
            // the provider's message is written for administrators, without raw identifiers (see the SPI)
            if (e.reason() == AttestationException.Reason.CONFLICT) {
                throw new ConflictException(e.getMessage());
            }
            throw new InvalidRequestException(field(e.getMessage()), e.getMessage());
        }
        return sameCall -> {
            apply(device, change);
            return Reply.ok(Map.of("type", type, "state", change.view()));
        };
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

    /**
     * A deployed provider as Command shows it: {@code selected} says whether decisions ask it for its
     * category (a provider deployed beside the configured one, or a second of one type, is not).
     */
    record ProviderView(String type, String name, String version, String category, String bundle,
            boolean selected) {
        static ProviderView of(ProviderInfo provider) {
            return new ProviderView(provider.type(), provider.name(), provider.version(), provider.category().name(),
                    provider.bundle(), provider.selected());
        }
    }
}
