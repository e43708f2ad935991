package io.enigm.server.membership.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.Keyset;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.Device;
import io.enigm.server.membership.DeviceAddition;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.Devices;
import io.enigm.server.membership.MemberState;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.PolicyEngine;
import io.enigm.server.privacy.IdentifierKind;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeyedRead;
import io.enigm.server.store.KeysetCondition;

/** Devices in the {@code device} table; trust moves only along {@link #TRANSITIONS}. */
@Component(service = Devices.class)
public class PersistentDevices implements Devices {

    /** The hottest read of this table, on every GET of one device. */
    private static final KeyedRead<Device> BY_ID = new KeyedRead<>(
            "SELECT " + Rows.DEVICE_COLUMNS + " FROM device WHERE id = ? AND environment_id = ?", Rows::device);

    /**
     * Every move an administrator may make with {@link #setTrust}. {@code REPLACED} is reached only by
     * {@link #replace}; {@code REVOKED}, {@code REPLACED} and {@code RETIRED} are final.
     */
    static final Map<DeviceTrust, Set<DeviceTrust>> TRANSITIONS = Map.of(
            DeviceTrust.PENDING, Set.of(DeviceTrust.TRUSTED, DeviceTrust.REVOKED),
            DeviceTrust.TRUSTED, Set.of(DeviceTrust.RESTRICTED, DeviceTrust.REVOKED, DeviceTrust.RETIRED),
            DeviceTrust.RESTRICTED, Set.of(DeviceTrust.TRUSTED, DeviceTrust.REVOKED, DeviceTrust.RETIRED),
            DeviceTrust.REVOKED, Set.of(),
            DeviceTrust.REPLACED, Set.of(),
            DeviceTrust.RETIRED, Set.of());

    /** The security event of each state an administrator may move a device to. */
    private static final Map<DeviceTrust, SecurityEventCategory> LIFECYCLE = Map.of(
            DeviceTrust.TRUSTED, SecurityEventCategory.DEVICE_TRUSTED,
            DeviceTrust.RESTRICTED, SecurityEventCategory.DEVICE_RESTRICTED,
            DeviceTrust.REVOKED, SecurityEventCategory.DEVICE_REVOKED,
            DeviceTrust.RETIRED, SecurityEventCategory.DEVICE_RETIRED);

    private final Database database;
    private final SessionNonces nonces;
    private final EnvironmentGate gate;
    private final Pseudonyms pseudonyms;
    private final AuditLog audit;
    private final PolicyEngine policy;
    private final SecurityEventRecorder events;
    private final Clock clock;

    @Activate
    public PersistentDevices(@Reference Database database, @Reference SessionNonces nonces,
            @Reference EnvironmentService environments, @Reference Pseudonyms pseudonyms, @Reference AuditLog audit,
            @Reference PolicyEngine policy, @Reference SecurityEventRecorder events) {
        this(database, nonces, environments, pseudonyms, audit, policy, events, Clock.systemUTC());
    }

    PersistentDevices(Database database, SessionNonces nonces, EnvironmentService environments,
            Pseudonyms pseudonyms, AuditLog audit, PolicyEngine policy, SecurityEventRecorder events, Clock clock) {
        this.database = database;
        this.nonces = nonces;
        this.gate = new EnvironmentGate(environments);
        this.pseudonyms = pseudonyms;
        this.audit = audit;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Page<Device> list(String environmentId, String memberId, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        gate.readable(environmentId);
        return database.read(handle -> {
            var query = handle.createQuery("SELECT " + Rows.DEVICE_COLUMNS + " FROM device WHERE environment_id = :env"
                    + (memberId == null ? "" : " AND member_id = :member")
                    + KeysetCondition.after(after, "") + " ORDER BY created_at, id LIMIT :limit")
                    .bind("env", environmentId).bind("limit", page.limit() + 1);
            if (memberId != null) {
                query.bind("member", memberId);
            }
            KeysetCondition.bind(query, after);
            List<Device> rows = query.map((rs, ctx) -> Rows.device(rs)).list();
            return Keyset.page(rows, page.limit(), device -> new Keyset(device.createdAt().toEpochMilli(), device.id()));
        });
    }

    @Override
    public Device get(String environmentId, String deviceId) {
        gate.readable(environmentId);
        return database.read(handle -> {
            return find(handle, environmentId, deviceId);
        });
    }

    @Override
    public Device setTrust(String environmentId, String deviceId, DeviceTrust trust) {
        if (trust == null || trust == DeviceTrust.PENDING || trust == DeviceTrust.REPLACED) {
            throw new InvalidRequestException("state", "must be TRUSTED, RESTRICTED, REVOKED or RETIRED");
        }
        return database.inTransaction(handle -> {
            gate.active(environmentId);
            move(handle, find(handle, environmentId, deviceId), trust, clock.millis());
            return find(handle, environmentId, deviceId);
        });
    }

    @Override
    public Device replace(String environmentId, String deviceId, String newDeviceId) {
        if (newDeviceId == null || newDeviceId.isBlank()) {
            throw new InvalidRequestException("newDeviceId", "is required");
        }
        if (newDeviceId.equals(deviceId)) {
            throw new InvalidRequestException("newDeviceId", "must be another device");
        }
        return database.inTransaction(handle -> {
            gate.active(environmentId);
            Device old = find(handle, environmentId, deviceId);
            Device successor = handle.createQuery("SELECT " + Rows.DEVICE_COLUMNS + " FROM device WHERE id = :id"
                    + " AND environment_id = :env")
                    .bind("id", newDeviceId).bind("env", environmentId)
                    .map((rs, ctx) -> Rows.device(rs)).findOne()
                    .orElseThrow(() -> new InvalidRequestException("newDeviceId", "is not a device of this environment"));
            if (!successor.memberId().equals(old.memberId())) {
                throw new InvalidRequestException("newDeviceId", "must be a device of the same member");
            }
            if (successor.trust().isFinal()) {
                throw new ConflictException("the new device is " + successor.trust());
            }
            if (old.trust() != DeviceTrust.TRUSTED && old.trust() != DeviceTrust.RESTRICTED) {
                throw new ConflictException("the device is " + old.trust() + " and cannot become REPLACED");
            }
            long now = clock.millis();
            handle.createUpdate("UPDATE device SET trust = 'REPLACED', replaced_by = :successor, updated_at = :now"
                    + " WHERE id = :id")
                    .bind("successor", newDeviceId).bind("now", now).bind("id", deviceId).execute();
            Revocations.closeSessionsOfDevice(handle, deviceId, now);
            events.record(environmentId, SecurityEventCategory.DEVICE_REPLACED, old.handle());
            if (successor.trust() == DeviceTrust.PENDING) {
                // The successor takes over the place of the device it replaces, trust included.
                handle.createUpdate("UPDATE device SET trust = :trust, updated_at = :now WHERE id = :id")
                        .bind("trust", old.trust().name()).bind("now", now).bind("id", newDeviceId).execute();
            }
            return find(handle, environmentId, deviceId);
        });
    }

    @Override
    public Device remove(String environmentId, String deviceId) {
        return database.inTransaction(handle -> {
            gate.active(environmentId);
            Device device = find(handle, environmentId, deviceId);
            if (device.trust().isFinal()) {
                throw new ConflictException("the device is " + device.trust() + " already");
            }
            move(handle, device, DeviceTrust.REVOKED, clock.millis());
            return find(handle, environmentId, deviceId);
        });
    }

    /**
     * Proves the signing device (nonce and signature, read outside any write), asks the policy
     * engine for {@link AccessAction#ADD_DEVICE} with that device as the subject — outside any
     * write transaction, as it may wait on providers — and only then enrolls the new device, if the
     * signing device still qualifies when the write runs.
     */
    @Override
    public Device add(String environmentId, DeviceAddition addition) {
        byte[] key = DeviceKeys.parse("devicePublicKey", addition.devicePublicKey());
        String signingDeviceId = Text.required("signingDeviceId", addition.signingDeviceId(), 64);
        String nonce = Text.required("nonce", addition.nonce(), 64);
        Text.required("signature", addition.signature(), 128);
        Signer signer = database.read(handle -> {
            readableOrRefused(environmentId);
            return signer(handle, environmentId, signingDeviceId);
        });
        long now = clock.millis();
        SessionNonces.Challenge challenge = nonces.find(nonce);
        boolean live = challenge != null && challenge.isFor(environmentId, signingDeviceId)
                && challenge.expiresAt() > now;
        byte[] signature = DeviceKeys.signature(addition.signature());
        String message = "enigm-device-add-v1\n" + environmentId + "\n" + signingDeviceId + "\n"
                + addition.devicePublicKey() + "\n" + nonce;
        // Used up only by a valid signature, so that a forger cannot spend the device's nonces.
        if (!live || signature == null || !DeviceKeys.verifies(signer.publicKey(), message, signature)
                || !nonces.use(challenge)) {
            throw refused();
        }
        signer.requireStanding();
        Decision decision = decide(environmentId, signingDeviceId, signer, nonce);
        if (decision.outcome() != DecisionOutcome.ALLOW) {
            throw denied(environmentId, signingDeviceId, signer, decision);
        }
        return database.inTransaction(handle -> {
            Environment environment = gate.active(environmentId);
            // A revocation or suspension that committed since the checks above wins.
            signer(handle, environmentId, signingDeviceId).requireStanding();
            String keyHandle = pseudonyms.handle(environmentId, IdentifierKind.DEVICE_KEY, DeviceKeys.text(key));
            String deviceId = Enrollment.newDevice(handle, events, environmentId, signer.memberId(), keyHandle, key,
                    environment.newDeviceTrust(), clock.millis());
            audit.append(new AuditEntry(signingDeviceId, "DEVICE", environmentId, "device.add", deviceId,
                    AuditOutcome.ALLOWED, null));
            return find(handle, environmentId, deviceId);
        });
    }

    /** The policy's decision on the signing device adding a device; one that cannot be made denies. */
    private Decision decide(String environmentId, String signingDeviceId, Signer signer, String nonce) {
        // the nonce the signing device proved with, as for a session: a provider's possession proof must sign it
        AccessRequest request = new AccessRequest(environmentId, signer.memberId(), signingDeviceId,
                signer.publicKey(), signer.role(), true, true, false, AccessAction.ADD_DEVICE, null, clock.instant(),
                Map.of(), nonce);
        return FailClosed.decide(policy, request);
    }

    /** Records a policy refusal (audit record and security event) and answers it with its categories only. */
    private AccessDeniedException denied(String environmentId, String signingDeviceId, Signer signer,
            Decision decision) {
        List<String> categories = decision.categories().stream().sorted().map(Enum::name).toList();
        database.inTransaction(handle -> {
            events.record(environmentId, SecurityEventCategory.DEVICE_ADD_POLICY_DENIED, signer.keyHandle());
            audit.append(new AuditEntry(signingDeviceId, "DEVICE", environmentId, "device.add", null,
                    AuditOutcome.DENIED, String.join(",", categories)));
            return null;
        });
        boolean stepUp = decision.outcome() == DecisionOutcome.STEP_UP;
        return new AccessDeniedException(stepUp ? "the policy asks the signing device to prove more"
                : "the policy does not let this device add devices", stepUp, categories);
    }

    private static Signer signer(Handle handle, String environmentId, String signingDeviceId) {
        return handle.createQuery("SELECT d.member_id, d.trust, d.public_key, d.key_handle, m.state, m.role"
                + " FROM device d JOIN member m ON m.id = d.member_id WHERE d.id = :id AND d.environment_id = :env")
                .bind("id", signingDeviceId).bind("env", environmentId)
                .map((rs, ctx) -> new Signer(rs.getString(1), DeviceTrust.valueOf(rs.getString(2)), rs.getBytes(3),
                        rs.getString(4), MemberState.valueOf(rs.getString(5)), rs.getString(6)))
                .findOne().orElseThrow(PersistentDevices::refused);
    }

    /** The device that vouches for a new one. */
    private record Signer(String memberId, DeviceTrust trust, byte[] publicKey, String keyHandle,
            MemberState memberState, String role) {

        void requireStanding() {
            if (trust != DeviceTrust.TRUSTED || memberState != MemberState.ACTIVE) {
                throw new ForbiddenException("only a TRUSTED device of an ACTIVE member may add a device");
            }
        }
    }

    /** One answer for an unknown device, nonce or signature: the caller learns nothing about which. */
    private static AuthenticationFailedException refused() {
        return new AuthenticationFailedException("the nonce or the signature is not accepted");
    }

    /** A public route: an unknown environment is refused like an unknown device, not named. */
    private Environment readableOrRefused(String environmentId) {
        try {
            return gate.readable(environmentId);
        } catch (NotFoundException unknown) {
            throw refused();
        }
    }

    /** Changes trust, with its lifecycle event; a device that can no longer be used loses its sessions at once. */
    private void move(Handle handle, Device device, DeviceTrust target, long now) {
        if (!TRANSITIONS.get(device.trust()).contains(target)) {
            throw new ConflictException("the device is " + device.trust() + " and cannot become " + target);
        }
        handle.createUpdate("UPDATE device SET trust = :trust, updated_at = :now WHERE id = :id")
                .bind("trust", target.name()).bind("now", now).bind("id", device.id()).execute();
        if (target.isFinal()) {
            Revocations.closeSessionsOfDevice(handle, device.id(), now);
        }
        events.record(device.environmentId(), LIFECYCLE.get(target), device.handle());
    }

    private static Device find(Handle handle, String environmentId, String deviceId) {
        return BY_ID.find(handle, deviceId, environmentId).orElseThrow(() -> new NotFoundException("device"));
    }
}
