package io.enigm.server.provider.mdm.internal;

import static io.enigm.server.attestation.spi.AttestationException.Reason.CONFLICT;
import static io.enigm.server.attestation.spi.AttestationException.Reason.INVALID_REQUEST;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.AttestedDevice;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;

/**
 * Enrollment and compliance as a managed-device service reports it. The service calls back
 * ({@code POST …/devices/{d}/attestations/managed-device/callback}, operation {@code report}) with
 * no token: the report's exact JSON bytes and their HMAC-SHA256 under the shared secret authenticate
 * it. An administrator may relay a report through the ordinary operation path as well; the
 * signature is required either way. Reports are stored with the device; each must be newer than the
 * last, which refuses replays durably, no older than the clock skew and not in the future (beyond
 * {@link #FUTURE_TOLERANCE} of clock noise): a report dated ahead would otherwise hold off every
 * genuine report until its date. A report is the service's, not the device's, so it is bound to the
 * environment and device it names, not to a session; a device whose service reports it retired has
 * its sessions closed.
 *
 * <p>{@code NON_COMPLIANT} is a lapse a policy may grace (the service verified the device drifted);
 * {@code ENROLLED} (never compliant yet) and {@code RETIRED} are failures that are not.
 */
@Component(service = AttestationProvider.class, configurationPid = ManagedDeviceConfiguration.PID)
@ProviderMetadata(type = ManagedDeviceProvider.TYPE, name = "Managed device compliance", version = "1.0.0",
        category = SignalCategory.MANAGED_DEVICE)
@Designate(ocd = ManagedDeviceConfiguration.class)
public class ManagedDeviceProvider implements AttestationProvider {

    static final String TYPE = "managed-device";
    private static final System.Logger LOG = System.getLogger(ManagedDeviceProvider.class.getName());
    private static final String REPORT = "report";
    private static final int MIN_SECRET_LENGTH = 32;
    private static final int MAX_REPORT_BYTES = 2048;
    /** How far ahead of the server's clock a report may be dated: clock noise, not a window to hold. */
    static final Duration FUTURE_TOLERANCE = Duration.ofSeconds(5);

    private final Clock clock;
    private final SecretKeySpec secret;
    private final Duration window;
    private final Duration clockSkew;

    @Activate
    public ManagedDeviceProvider(ManagedDeviceConfiguration configuration) {
        this(configuration, Clock.systemUTC());
    }

    ManagedDeviceProvider(ManagedDeviceConfiguration configuration, Clock clock) {
        String configured = configuration.hmacSecret();
        if (configured == null || configured.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("hmacSecret is required: at least " + MIN_SECRET_LENGTH
                    + " characters shared with the managed-device service");
        }
        int hours = configuration.reportWindowHours();
        if (hours < 1 || hours > 720) {
            throw new IllegalArgumentException("reportWindowHours must be between 1 and 720, not " + hours);
        }
        int skew = configuration.clockSkewSeconds();
        if (skew < 30 || skew > 900) {
            throw new IllegalArgumentException("clockSkewSeconds must be between 30 and 900, not " + skew);
        }
        this.clock = clock;
        this.secret = new SecretKeySpec(configured.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.window = Duration.ofHours(hours);
        this.clockSkew = Duration.ofSeconds(skew);
        LOG.log(System.Logger.Level.INFO, "Managed-device provider: reports count for {0} h, clock skew {1} s",
                hours, skew);
    }

    @Override
    public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
        Instant now = clock.instant();
        Optional<Map<String, String>> report = device.records().get(REPORT);
        if (report.isEmpty()) {
            return new Signal(SignalCategory.MANAGED_DEVICE, SignalResult.UNKNOWN, now, "NO_REPORT");
        }
        Instant expires = Instant.parse(report.get().get("reportedAt")).plus(window);
        if (!expires.isAfter(now)) {
            return new Signal(SignalCategory.MANAGED_DEVICE, SignalResult.UNKNOWN, now, "REPORT_EXPIRED");
        }
        return switch (ComplianceState.valueOf(report.get().get("state"))) {
            case COMPLIANT -> new Signal(SignalCategory.MANAGED_DEVICE, SignalResult.PASS, expires, null);
            case ENROLLED -> new Signal(SignalCategory.MANAGED_DEVICE, SignalResult.FAIL, expires, "NOT_COMPLIANT_YET");
            case NON_COMPLIANT -> new Signal(SignalCategory.MANAGED_DEVICE, SignalResult.FAIL, expires,
                    "NON_COMPLIANT", true);
            case RETIRED -> new Signal(SignalCategory.MANAGED_DEVICE, SignalResult.FAIL, expires, "RETIRED");
        };
    }

    @Override
    public Set<String> operations() {
        return Set.of(REPORT);
    }

    @Override
    public Set<String> callbackOperations() {
        return Set.of(REPORT);
    }

    @Override
    public void authenticateCallback(AttestedDevice device, String operation, Map<String, Object> request)
            throws AttestationException {
        authentic(device, request);
    }

    @Override
    public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request)
            throws AttestationException {
        if (!REPORT.equals(operation)) {
            throw new AttestationException(INVALID_REQUEST, "operation must be report");
        }
        ComplianceReport report = authentic(device, request);
        Optional<Map<String, String>> last = device.records().get(REPORT);
        if (last.isPresent() && !report.reportedAt().isAfter(Instant.parse(last.get().get("reportedAt")))) {
            throw new AttestationException(CONFLICT, "a report as new or newer was already received");
        }
        device.records().put(REPORT, Map.of("state", report.state().name(), "reportedAt",
                report.reportedAt().toString(), "receivedAt", clock.instant().toString()));
        if (report.state() == ComplianceState.RETIRED) {
            device.endSessions();
        }
        return describe(device);
    }

    /** The report, once its MAC, form, device and time are right: every check that needs no stored state. */
    private ComplianceReport authentic(AttestedDevice device, Map<String, Object> request) throws AttestationException {
        if (!(request.get("report") instanceof String text) || !(request.get("signature") instanceof String hex)) {
            throw new AttestationException(INVALID_REQUEST, "report (the signed JSON text) and signature are required");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_REPORT_BYTES || !signedBySecret(bytes, hex)) {
            throw new AttestationException(INVALID_REQUEST, "the report's signature is not valid");
        }
        ComplianceReport report = ComplianceReport.parse(bytes);
        if (report == null) {
            throw new AttestationException(INVALID_REQUEST,
                    "report must be JSON with environmentId, deviceId, state and reportedAt");
        }
        if (!report.environmentId().equals(device.environmentId()) || !report.deviceId().equals(device.deviceId())) {
            throw new AttestationException(INVALID_REQUEST, "the report is for another device");
        }
        Instant now = clock.instant();
        if (report.reportedAt().isBefore(now.minus(clockSkew)) || report.reportedAt().isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw new AttestationException(INVALID_REQUEST, "reportedAt is not within the allowed clock skew");
        }
        return report;
    }

    private boolean signedBySecret(byte[] report, String hex) {
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            // constant time: a timing difference must not reveal how much of a forged MAC was right
            return MessageDigest.isEqual(mac.doFinal(report), presented);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public Map<String, Object> describe(AttestedDevice device) {
        return device.records().get(REPORT).<Map<String, Object>>map(LinkedHashMap::new)
                .orElseGet(() -> new LinkedHashMap<>(Map.of("state", "NO_REPORT")));
    }
}
