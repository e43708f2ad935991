package io.enigm.server.provider.posture.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * Enigm OS posture: the device presents a statement Enigm OS signed with Ed25519
 * ({@code {statement: Base64 JSON, signature: Base64}}) for this very attempt. The statement names
 * the device by id and by its enrolled key ({@code deviceKey}, the Base64 of the key as enrolled) and
 * carries the server's nonce for the attempt ({@code nonce}), so it serves one attempt of one device:
 * copied to another device, replayed for a later session, or kept from before a key change, it
 * proves nothing.
 *
 * <p>Whatever cannot be verified (malformed, a bad signature, another device, key or nonce, issued in
 * the future, stale) is {@code UNKNOWN}: the device proved nothing, and no policy graces it. A
 * verified statement that shows the device out of compliance is {@code FAIL}, with reason codes
 * {@code PATCH_AGE}, {@code VERIFIED_BOOT}, {@code INTEGRITY} (comma-separated when several), followed
 * by {@code ;patchDate=YYYY-MM-DD}. Only an outdated patch level alone is a lapse a policy may grace;
 * a boot or integrity failure is a compromise and never is. A passing signal expires when the
 * statement goes stale or the patch becomes too old, whichever is first.
 */
@Component(service = AttestationProvider.class, configurationPid = OsPostureConfiguration.PID)
@ProviderMetadata(type = OsPostureProvider.TYPE, name = "Enigm OS posture", version = "1.0.0",
        category = SignalCategory.OS_POSTURE)
@Designate(ocd = OsPostureConfiguration.class)
public class OsPostureProvider implements AttestationProvider {

    static final String TYPE = "os-posture";
    private static final String PATCH_AGE = "PATCH_AGE";
    private static final System.Logger LOG = System.getLogger(OsPostureProvider.class.getName());
    private static final int MAX_STATEMENT_BYTES = 4096;

    private final Clock clock;
    private final PublicKey signingKey;
    private final int maxPatchAgeDays;
    private final Duration freshness;
    private final Duration clockSkew;
    private final int maxRemembered;
    /** The last verified posture per device, for {@link #describe}; bounded, eldest forgotten first. */
    private final Map<String, Map<String, Object>> lastVerified;

    @Activate
    public OsPostureProvider(OsPostureConfiguration configuration) {
        this(configuration, Clock.systemUTC());
    }

    OsPostureProvider(OsPostureConfiguration configuration, Clock clock) {
        this.signingKey = signingKey(configuration.signingPublicKey());
        this.maxPatchAgeDays = within("maxPatchAgeDays", configuration.maxPatchAgeDays(), 1, 3650);
        this.freshness = Duration.ofSeconds(within("freshnessSeconds", configuration.freshnessSeconds(), 60, 604_800));
        this.clockSkew = Duration.ofSeconds(within("clockSkewSeconds", configuration.clockSkewSeconds(), 0, 600));
        this.maxRemembered = within("maxRememberedDevices", configuration.maxRememberedDevices(), 100, 1_000_000);
        this.clock = clock;
        this.lastVerified = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
                return size() > maxRemembered;
            }
        };
        LOG.log(System.Logger.Level.INFO, "OS posture provider: patches up to {0} days old, statements fresh for"
                + " {1} s", maxPatchAgeDays, freshness.toSeconds());
    }

    private static PublicKey signingKey(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException("signingPublicKey is required: the Enigm OS Ed25519 public key");
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(encoded.strip())));
            if (key instanceof EdECPublicKey) {
                return key;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // refused below with the same message
        }
        throw new IllegalArgumentException("signingPublicKey must be Base64 of an Ed25519 X.509 public key");
    }

    private static int within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    @Override
    public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
        Instant now = clock.instant();
        if (evidence.isEmpty()) {
            return unknown(now, "NO_EVIDENCE");
        }
        byte[] statementBytes;
        byte[] signature;
        try {
            if (!(evidence.get("statement") instanceof String statement)
                    || !(evidence.get("signature") instanceof String signed)) {
                return unknown(now, "MALFORMED_EVIDENCE");
            }
            statementBytes = Base64.getDecoder().decode(statement);
            signature = Base64.getDecoder().decode(signed);
        } catch (IllegalArgumentException e) {
            return unknown(now, "MALFORMED_EVIDENCE");
        }
        if (statementBytes.length > MAX_STATEMENT_BYTES || !verifies(statementBytes, signature)) {
            return unknown(now, "BAD_SIGNATURE");
        }
        PostureStatement statement = PostureStatement.parse(statementBytes);
        if (statement == null) {
            return unknown(now, "MALFORMED_STATEMENT");
        }
        if (!statement.deviceId().equals(device.deviceId())
                || !statement.deviceKey().equals(Base64.getEncoder().encodeToString(device.publicKey()))) {
            return unknown(now, "OTHER_DEVICE");
        }
        if (device.challenge().filter(statement.nonce()::equals).isEmpty()) {
            return unknown(now, "OTHER_ATTEMPT");
        }
        if (statement.issuedAt().isAfter(now.plus(clockSkew))) {
            return unknown(now, "ISSUED_IN_FUTURE");
        }
        Instant stale = statement.issuedAt().plus(freshness);
        if (!stale.isAfter(now)) {
            return unknown(now, "STALE");
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate oldestAllowed = today.minusDays(maxPatchAgeDays);
        List<String> failures = new ArrayList<>();
        if (statement.patchDate().isBefore(oldestAllowed)) {
            failures.add(PATCH_AGE);
        }
        if (!statement.verifiedBoot()) {
            failures.add("VERIFIED_BOOT");
        }
        if (!statement.integrity().isEmpty()) {
            failures.add("INTEGRITY");
        }
        remember(device, statement, failures);
        String patchDate = ";patchDate=" + statement.patchDate();
        if (!failures.isEmpty()) {
            return new Signal(SignalCategory.OS_POSTURE, SignalResult.FAIL, stale,
                    String.join(",", failures) + patchDate, failures.equals(List.of(PATCH_AGE)));
        }
        Instant patchTooOld = statement.patchDate().plusDays(maxPatchAgeDays + 1L).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        return new Signal(SignalCategory.OS_POSTURE, SignalResult.PASS,
                stale.isBefore(patchTooOld) ? stale : patchTooOld, "OK" + patchDate);
    }

    private boolean verifies(byte[] statement, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(signingKey);
            verifier.update(statement);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Signal unknown(Instant now, String reason) {
        return new Signal(SignalCategory.OS_POSTURE, SignalResult.UNKNOWN, now, reason);
    }

    private void remember(AttestedDevice device, PostureStatement statement, List<String> failures) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("osVersion", statement.osVersion());
        view.put("patchDate", statement.patchDate().toString());
        view.put("verifiedBoot", statement.verifiedBoot());
        view.put("integrity", statement.integrity());
        view.put("issuedAt", statement.issuedAt().toString());
        view.put("result", failures.isEmpty() ? "PASS" : "FAIL");
        view.put("reasons", List.copyOf(failures));
        synchronized (lastVerified) {
            lastVerified.put(device.environmentId() + '/' + device.deviceId(), view);
        }
    }

    @Override
    public Set<String> operations() {
        return Set.of();
    }

    @Override
    public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request)
            throws AttestationException {
        throw new AttestationException(AttestationException.Reason.INVALID_REQUEST,
                "the OS posture provider has no operations; devices present signed statements");
    }

    /** The last posture verified since the server started; statements are not stored. */
    @Override
    public Map<String, Object> describe(AttestedDevice device) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("maxPatchAgeDays", maxPatchAgeDays);
        synchronized (lastVerified) {
            Map<String, Object> last = lastVerified.get(device.environmentId() + '/' + device.deviceId());
            view.put("lastVerified", last);
        }
        return view;
    }
}
