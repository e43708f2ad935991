package io.enigm.server.membership.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.enigm.server.common.RateLimitedException;
import io.enigm.server.membership.SessionChallenge;

/**
 * The live single-use nonces that devices sign to prove they hold their keys (sessions, adding a
 * device), kept in memory only. A nonce lives 60 seconds and is used once: nothing about it needs
 * to survive a restart, and forgetting every nonce then is the safe direction (a device asks for
 * a new one; no nonce can be replayed across a restart). Issuing one therefore costs no write, and
 * using one up is an atomic removal that no two requests can both win.
 *
 * <p>Bounded twice, since anyone who knows a device id may ask for nonces: a device holds at most
 * {@value #PER_DEVICE} live ones, the installation at most the configured number; beyond either
 * the request is refused with 429.
 */
@Component(service = SessionNonces.class, configurationPid = SessionConfiguration.PID)
public class SessionNonces {

    static final Duration LIFETIME = Duration.ofSeconds(60);
    /** Live nonces one device may hold: enough for retries, too few to fill memory. */
    static final int PER_DEVICE = 10;
    /** Expired nonces that nobody used are swept this often, and at most once a second while full. */
    private static final long SWEEP_MILLIS = LIFETIME.toMillis();

    /** A live nonce: whom it was issued to and until when. */
    record Challenge(String environmentId, String deviceId, long expiresAt) {

        boolean isFor(String environmentId, String deviceId) {
            return this.environmentId.equals(environmentId) && this.deviceId.equals(deviceId);
        }
    }

    private final Map<String, Challenge> byNonce = new ConcurrentHashMap<>();
    /** The nonces each device holds, at most {@value #PER_DEVICE}, so its own can be swept cheaply. */
    private final Map<String, List<String>> heldByDevice = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepAt = new AtomicLong();
    private final int maxLive;
    private final Clock clock;

    @Activate
    public SessionNonces(SessionConfiguration configuration) {
        this(configuration.maxLiveNonces(), Clock.systemUTC());
    }

    SessionNonces(int maxLive, Clock clock) {
        if (maxLive < PER_DEVICE) {
            throw new IllegalArgumentException("maxLiveNonces must be at least " + PER_DEVICE + ", not " + maxLive);
        }
        this.maxLive = maxLive;
        this.clock = clock;
        this.nextSweepAt.set(clock.millis() + SWEEP_MILLIS);
    }

    /** A new nonce for the device, or 429 when it or the installation holds too many. */
    SessionChallenge issue(String environmentId, String deviceId) {
        long now = clock.millis();
        long sweepAt = nextSweepAt.get();
        boolean full = byNonce.size() >= maxLive;
        // One caller sweeps, at most once a second even while full: a sweep reads every nonce.
        if ((now >= sweepAt || full && now >= sweepAt - SWEEP_MILLIS + 1000)
                && nextSweepAt.compareAndSet(sweepAt, now + SWEEP_MILLIS)) {
            sweep(now);
        }
        if (byNonce.size() >= maxLive) {
            throw new RateLimitedException("too many open challenges", Duration.ofSeconds(1));
        }
        String nonce = Randoms.nonce();
        long expiresAt = now + LIFETIME.toMillis();
        boolean[] held = {false};
        heldByDevice.compute(deviceId, (device, nonces) -> {
            List<String> live = new ArrayList<>(PER_DEVICE);
            if (nonces != null) {
                for (String kept : nonces) {
                    Challenge challenge = byNonce.get(kept);
                    if (challenge != null && challenge.expiresAt() > now) {
                        live.add(kept);
                    } else if (challenge != null) {
                        byNonce.remove(kept, challenge);
                    }
                }
            }
            if (live.size() < PER_DEVICE) {
                live.add(nonce);
                // Entered while the device's list is locked, so a concurrent use finds both or neither.
                byNonce.put(nonce, new Challenge(environmentId, deviceId, expiresAt));
                held[0] = true;
            }
            return live.isEmpty() ? null : List.copyOf(live);
        });
        if (!held[0]) {
            throw new RateLimitedException("too many open challenges for this device", LIFETIME);
        }
        return new SessionChallenge(nonce, Instant.ofEpochMilli(expiresAt));
    }

    /** The nonce as issued, live or expired, to tell a caller's mistake apart; null if unknown or used. */
    Challenge find(String nonce) {
        return byNonce.get(nonce);
    }

    /**
     * Uses up the nonce if it was issued to this device of this environment and has not expired;
     * of two requests with the same nonce only one gets {@code true}.
     */
    boolean use(String nonce, String environmentId, String deviceId) {
        Challenge challenge = byNonce.get(nonce);
        if (challenge == null || !challenge.isFor(environmentId, deviceId) || !byNonce.remove(nonce, challenge)) {
            return false;
        }
        forget(challenge.deviceId(), nonce);
        return challenge.expiresAt() > clock.millis();
    }

    /** How many nonces are held, expired ones not yet swept included. */
    int held() {
        return byNonce.size();
    }

    private void forget(String deviceId, String nonce) {
        heldByDevice.computeIfPresent(deviceId, (device, nonces) -> {
            List<String> rest = nonces.stream().filter(kept -> !kept.equals(nonce)).toList();
            return rest.isEmpty() ? null : rest;
        });
    }

    /** Forgets the nonces that expired unused. */
    private void sweep(long now) {
        for (Map.Entry<String, Challenge> entry : byNonce.entrySet()) {
            Challenge challenge = entry.getValue();
            if (challenge.expiresAt() <= now && byNonce.remove(entry.getKey(), challenge)) {
                forget(challenge.deviceId(), entry.getKey());
            }
        }
    }
}
