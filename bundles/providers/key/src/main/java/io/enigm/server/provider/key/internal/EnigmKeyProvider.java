package io.enigm.server.provider.key.internal;

import static io.enigm.server.attestation.spi.AttestationException.Reason.CONFLICT;
import static io.enigm.server.attestation.spi.AttestationException.Reason.INVALID_REQUEST;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.AttestedDevice;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.enigm.server.attestation.spi.ProviderRecords;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;

/**
 * The member's Enigm Key, a hardware token linked to one device. The Key answers the session's
 * challenge with an ECDSA P-256 (SHA256withECDSA, DER) signature over
 * {@code "enigm-key-v1\n" + deviceId + "\n" + nonce}, where the nonce is the one the server issued
 * for this very attempt ({@link AttestedDevice#challenge}), never one the device chooses: the server
 * uses each nonce up once and forgets it on restart, so an answer is worth one session attempt, and
 * nothing needs remembering here. Binding the device into the message keeps an answer for one device
 * from passing for another. A Key is bound to one device of the environment (its serial and its
 * public key); marking it lost or revoking it fails it at once, whatever it signs, and closes the
 * device's sessions.
 */
@Component(service = AttestationProvider.class, configurationPid = EnigmKeyConfiguration.PID)
@ProviderMetadata(type = EnigmKeyProvider.TYPE, name = "Enigm Key hardware token", version = "1.0.0",
        category = SignalCategory.HARDWARE_KEY)
@Designate(ocd = EnigmKeyConfiguration.class)
public class EnigmKeyProvider implements AttestationProvider {

    static final String TYPE = "enigm-key";
    static final String MESSAGE_PREFIX = "enigm-key-v1\n";
    private static final System.Logger LOG = System.getLogger(EnigmKeyProvider.class.getName());
    private static final String KEY = "key";
    private static final String REPLACED = "replaced";
    private static final int MAX_SERIAL_LENGTH = 64;
    private static final int MAX_SIGNATURE_BYTES = 80;
    private static final Set<String> OPERATIONS = Set.of("link", "mark-lost", "revoke", "replace");

    private final Clock clock;
    private final Duration signalLifetime;

    @Activate
    public EnigmKeyProvider(EnigmKeyConfiguration configuration) {
        this(configuration, Clock.systemUTC());
    }

    EnigmKeyProvider(EnigmKeyConfiguration configuration, Clock clock) {
        int lifetime = configuration.signalLifetimeSeconds();
        if (lifetime < 10 || lifetime > 3600) {
            throw new IllegalArgumentException("signalLifetimeSeconds must be between 10 and 3600, not " + lifetime);
        }
        this.clock = clock;
        this.signalLifetime = Duration.ofSeconds(lifetime);
        LOG.log(System.Logger.Level.INFO, "Enigm Key provider: signals last {0} s", lifetime);
    }

    @Override
    public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
        Instant now = clock.instant();
        Optional<Map<String, String>> linked = device.records().get(KEY);
        if (linked.isEmpty()) {
            return signal(SignalResult.FAIL, now, "KEY_NOT_LINKED");
        }
        KeyState state = KeyState.valueOf(linked.get().get("state"));
        if (state == KeyState.LOST) {
            return signal(SignalResult.FAIL, now, "KEY_LOST");
        }
        if (state == KeyState.REVOKED) {
            return signal(SignalResult.FAIL, now, "KEY_REVOKED");
        }
        if (evidence.isEmpty()) {
            return signal(SignalResult.UNKNOWN, now, "NO_EVIDENCE");
        }
        Optional<String> challenge = device.challenge();
        if (challenge.isEmpty()) {
            // no attempt of the device's own is being decided: nothing a Key could have answered
            return signal(SignalResult.UNKNOWN, now, "NO_CHALLENGE");
        }
        if (!(evidence.get("signature") instanceof String encoded)) {
            return signal(SignalResult.UNKNOWN, now, "MALFORMED_EVIDENCE");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return signal(SignalResult.UNKNOWN, now, "MALFORMED_EVIDENCE");
        }
        ECPublicKey key = P256Keys.parse(Base64.getDecoder().decode(linked.get().get("publicKey")));
        if (signature.length > MAX_SIGNATURE_BYTES || key == null
                || !verifies(key, message(device.deviceId(), challenge.get()), signature)) {
            // an answer over another nonce, another device, or a forgery: nothing verified
            return signal(SignalResult.UNKNOWN, now, "BAD_SIGNATURE");
        }
        return new Signal(SignalCategory.HARDWARE_KEY, SignalResult.PASS, now.plus(signalLifetime), null);
    }

    /** What the Key signs for {@code deviceId} and the server's {@code nonce}. */
    static byte[] message(String deviceId, String nonce) {
        return (MESSAGE_PREFIX + deviceId + "\n" + nonce).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean verifies(ECPublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // a malformed DER signature is a forgery, not a fault of the provider
            return false;
        }
    }

    private Signal signal(SignalResult result, Instant now, String reason) {
        return new Signal(SignalCategory.HARDWARE_KEY, result, now.plus(signalLifetime), reason);
    }

    @Override
    public Set<String> operations() {
        return OPERATIONS;
    }

    @Override
    public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request)
            throws AttestationException {
        ProviderRecords records = device.records();
        Optional<Map<String, String>> current = records.get(KEY);
        KeyState state = current.map(key -> KeyState.valueOf(key.get("state"))).orElse(null);
        String now = clock.instant().toString();
        switch (operation) {
            case "link" -> {
                if (state != null) {
                    throw new AttestationException(CONFLICT, "a Key is already linked (" + state
                            + "); replace it instead");
                }
                records.put(KEY, linkedKey(device, request, now));
            }
            case "mark-lost" -> {
                requireState(state, KeyState.LINKED);
                records.put(KEY, withState(current.get(), KeyState.LOST, now));
                device.endSessions();
            }
            case "revoke" -> {
                requireState(state, KeyState.LINKED, KeyState.LOST);
                records.put(KEY, withState(current.get(), KeyState.REVOKED, now));
                device.endSessions();
            }
            case "replace" -> {
                if (state == null) {
                    throw new AttestationException(CONFLICT, "no Key is linked; link one instead");
                }
                Map<String, String> next = linkedKey(device, request, now);
                if (next.get("publicKey").equals(current.get().get("publicKey"))) {
                    throw new AttestationException(INVALID_REQUEST, "publicKey is the Key being replaced");
                }
                records.put(REPLACED, Map.of("serial", current.get().get("serial"), "state", KeyState.REPLACED.name(),
                        "updatedAt", now));
                records.put(KEY, next);
            }
            default -> throw new AttestationException(INVALID_REQUEST, "operation must be one of " + OPERATIONS);
        }
        return describe(device);
    }

    private static void requireState(KeyState state, KeyState... allowed) throws AttestationException {
        for (KeyState candidate : allowed) {
            if (candidate == state) {
                return;
            }
        }
        throw new AttestationException(CONFLICT, state == null ? "no Key is linked" : "the Key is " + state);
    }

    /**
     * The Key a request names, bound to this device alone: by its serial and by its public key, so
     * that neither a copied serial nor the same Key under another serial vouches for a second device.
     * The binding stays when the Key is lost, revoked or replaced; it frees itself once this device
     * is out of service for good.
     */
    private static Map<String, String> linkedKey(AttestedDevice device, Map<String, Object> request, String now)
            throws AttestationException {
        if (!(request.get("publicKey") instanceof String encoded)) {
            throw new AttestationException(INVALID_REQUEST, "publicKey is required");
        }
        byte[] publicKey;
        try {
            publicKey = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new AttestationException(INVALID_REQUEST, "publicKey must be Base64");
        }
        if (P256Keys.parse(publicKey) == null) {
            throw new AttestationException(INVALID_REQUEST, "publicKey must be an X.509 P-256 public key");
        }
        if (!(request.get("serial") instanceof String serial) || serial.isBlank()
                || serial.length() > MAX_SERIAL_LENGTH || !serial.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new AttestationException(INVALID_REQUEST,
                    "serial is required: 1 to " + MAX_SERIAL_LENGTH + " printable ASCII characters");
        }
        String encodedKey = Base64.getEncoder().encodeToString(publicKey);
        String serialHandle = device.handleOf(serial);
        device.records().bindExclusively(serialHandle);
        device.records().bindExclusively(device.handleOf(encodedKey));
        return Map.of("state", KeyState.LINKED.name(), "publicKey", encodedKey, "serial", serialHandle,
                "linkedAt", now, "updatedAt", now);
    }

    private static Map<String, String> withState(Map<String, String> key, KeyState state, String now) {
        Map<String, String> next = new LinkedHashMap<>(key);
        next.put("state", state.name());
        next.put("updatedAt", now);
        return next;
    }

    @Override
    public Map<String, Object> describe(AttestedDevice device) {
        Map<String, Object> view = new LinkedHashMap<>();
        device.records().get(KEY).ifPresentOrElse(key -> {
            view.put("state", key.get("state"));
            view.put("serial", key.get("serial"));
            view.put("linkedAt", key.get("linkedAt"));
            view.put("updatedAt", key.get("updatedAt"));
        }, () -> view.put("state", "NOT_LINKED"));
        device.records().get(REPLACED).ifPresent(replaced -> view.put("replaced", Map.copyOf(replaced)));
        return view;
    }
}
