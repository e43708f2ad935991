package io.enigm.server.membership.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.home.DataHome;
import io.enigm.server.membership.SessionChallenge;
import io.enigm.server.store.Database;

/**
 * The single-use nonces that devices sign to prove they hold their keys (sessions, adding a
 * device). A nonce lives 60 seconds and is used once.
 *
 * <p>Issuing one keeps nothing: the nonce carries its expiry and random bits, sealed with two MACs
 * under a key made at start and held only in memory, one saying that this server issued it and one
 * binding it to its environment and device. So anyone who knows a device id may ask for nonces
 * as often as they like without taking any away from the device: there is no per-device budget to
 * exhaust. What is kept is the set of nonces already used, until they expire; a nonce is used only
 * after its device's signature over it verified, so only key holders add to that set.
 *
 * <p>An installation of one process keeps the key and the used set in memory: a restart makes a
 * new key, which invalidates every nonce issued before it, so none can be replayed across it. The
 * nodes of an installation on a shared database share both instead, so that a nonce issued by one
 * node is accepted by another and used once across all: the key is a secret of the data home
 * ({@value #KEY_SECRET}, copied to every node with the rest of {@code secrets/}) and the used set
 * is a table.
 */
@Component(service = SessionNonces.class, configurationPid = SessionConfiguration.PID)
public class SessionNonces {

    static final Duration LIFETIME = Duration.ofSeconds(60);
    /** The secret that nodes sharing a database seal nonces with. */
    static final String KEY_SECRET = "session-nonce-key";
    private static final int EXPIRY = 6;
    private static final int RANDOM = 16;
    private static final int ISSUED_TAG = 8;
    private static final int BOUND_TAG = 16;
    private static final int LENGTH = EXPIRY + RANDOM + ISSUED_TAG + BOUND_TAG;

    /**
     * A well-formed nonce this server issued and nobody had used when it was found. It can be used
     * up only once {@link #isFor} has confirmed the device and environment it was issued to.
     */
    final class Challenge {

        private final String nonce;
        private final byte[] bytes;
        private final long expiresAt;
        private volatile boolean bound;

        private Challenge(String nonce, byte[] bytes, long expiresAt) {
            this.nonce = nonce;
            this.bytes = bytes;
            this.expiresAt = expiresAt;
        }

        String nonce() {
            return nonce;
        }

        long expiresAt() {
            return expiresAt;
        }

        /** Whether it was issued for this device of this environment. */
        boolean isFor(String environmentId, String deviceId) {
            boolean matches = MessageDigest.isEqual(boundTag(bytes, environmentId, deviceId),
                    Arrays.copyOfRange(bytes, LENGTH - BOUND_TAG, LENGTH));
            bound |= matches;
            return matches;
        }
    }

    private final SecretKeySpec key;
    /** One MAC per thread: a nonce costs a few MACs on the session path, a lookup of the algorithm each would cost more. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private final UsedNonces used;
    private final Clock clock;

    @Activate
    public SessionNonces(SessionConfiguration configuration, @Reference Database database, @Reference DataHome home) {
        this(database.sharedByNodes() ? sharedKey(home) : Randoms.bytes(32), database.sharedByNodes()
                ? new StoredNonces(database, System.currentTimeMillis())
                : new RememberedNonces(checked(configuration.maxLiveNonces()), System.currentTimeMillis()),
                Clock.systemUTC());
    }

    /** Nonces of one process, remembered in memory, up to {@code maxUsed} at a time. */
    SessionNonces(int maxUsed, Clock clock) {
        this(Randoms.bytes(32), new RememberedNonces(checked(maxUsed), clock.millis()), clock);
    }

    SessionNonces(byte[] key, UsedNonces used, Clock clock) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.used = used;
        this.clock = clock;
    }

    private static int checked(int maxUsed) {
        if (maxUsed < 10) {
            throw new IllegalArgumentException("maxLiveNonces must be at least 10, not " + maxUsed);
        }
        return maxUsed;
    }

    /** The key every node of the installation seals nonces with: made by the first node that needs it. */
    private static byte[] sharedKey(DataHome home) {
        return home.readSecret(KEY_SECRET).orElseGet(() -> {
            byte[] made = Randoms.bytes(32);
            home.writeSecret(KEY_SECRET, made);
            return made;
        });
    }

    /** A new nonce for the device. Never refused: issuing one keeps nothing. */
    SessionChallenge issue(String environmentId, String deviceId) {
        long expiresAt = clock.millis() + LIFETIME.toMillis();
        byte[] bytes = new byte[LENGTH];
        ByteBuffer.wrap(bytes).putShort((short) (expiresAt >>> 32)).putInt((int) expiresAt)
                .put(Randoms.bytes(RANDOM));
        System.arraycopy(issuedTag(bytes), 0, bytes, EXPIRY + RANDOM, ISSUED_TAG);
        System.arraycopy(boundTag(bytes, environmentId, deviceId), 0, bytes, LENGTH - BOUND_TAG, BOUND_TAG);
        return new SessionChallenge(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                Instant.ofEpochMilli(expiresAt));
    }

    /**
     * The nonce as issued, live or expired, to tell a caller's mistake apart; null if this server did
     * not issue it (since its start) or it was used.
     */
    Challenge find(String nonce) {
        byte[] bytes = decode(nonce);
        if (bytes == null || !MessageDigest.isEqual(issuedTag(bytes),
                Arrays.copyOfRange(bytes, EXPIRY + RANDOM, EXPIRY + RANDOM + ISSUED_TAG)) || used.contains(nonce)) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long expiresAt = (buffer.getShort() & 0xFFFFL) << 32 | buffer.getInt() & 0xFFFFFFFFL;
        return new Challenge(nonce, bytes, expiresAt);
    }

    /**
     * Uses up the nonce if it was issued to this device of this environment and has not expired;
     * of two requests with the same nonce only one gets {@code true}.
     */
    boolean use(String nonce, String environmentId, String deviceId) {
        Challenge challenge = find(nonce);
        return challenge != null && challenge.isFor(environmentId, deviceId) && use(challenge);
    }

    /**
     * Uses up a challenge already found and confirmed for its device ({@link Challenge#isFor}), if it
     * has not expired: the hot path checks each nonce's tags once.
     */
    boolean use(Challenge challenge) {
        long now = clock.millis();
        return challenge.bound && challenge.expiresAt() > now && used.use(challenge.nonce(), challenge.expiresAt(), now);
    }

    /** How many used nonces are remembered, expired ones not yet swept included. */
    int spent() {
        return used.size();
    }

    private static byte[] decode(String nonce) {
        if (nonce == null || nonce.length() != (LENGTH * 4 + 2) / 3) {
            return null;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(nonce);
            // One text per nonce: a second encoding of the same bytes would escape the used set.
            return bytes.length == LENGTH && Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
                    .equals(nonce) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] issuedTag(byte[] bytes) {
        Mac mac = mac();
        mac.update((byte) 'I');
        mac.update(bytes, 0, EXPIRY + RANDOM);
        return Arrays.copyOf(mac.doFinal(), ISSUED_TAG);
    }

    private byte[] boundTag(byte[] bytes, String environmentId, String deviceId) {
        Mac mac = mac();
        mac.update((byte) 'B');
        mac.update(bytes, 0, EXPIRY + RANDOM);
        for (String id : new String[] {environmentId, deviceId}) {
            byte[] text = id.getBytes(StandardCharsets.UTF_8);
            // Length-prefixed, so that no two (environment, device) pairs read as the same bytes.
            mac.update(ByteBuffer.allocate(4).putInt(text.length).array());
            mac.update(text);
        }
        return Arrays.copyOf(mac.doFinal(), BOUND_TAG);
    }

    /** This thread's MAC, reset: every use ends with {@code doFinal}, which resets it too. */
    private Mac mac() {
        Mac mac = macs.get();
        mac.reset();
        return mac;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
