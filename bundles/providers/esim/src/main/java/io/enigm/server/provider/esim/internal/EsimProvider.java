package io.enigm.server.provider.esim.internal;

import static io.enigm.server.attestation.spi.AttestationException.Reason.CONFLICT;
import static io.enigm.server.attestation.spi.AttestationException.Reason.INVALID_REQUEST;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The device's eSIM profile, as the operator's provisioning reports it through Command: activated
 * with its ICCID (kept only as a handle), bound to the device, then unlinked or retired. A new
 * profile may be activated once the previous one is unlinked or retired. An ICCID belongs to one
 * device of the environment from activation until it is unlinked or retired; unlinking or retiring
 * a bound profile closes the device's sessions.
 */
@Component(service = AttestationProvider.class, configurationPid = EsimConfiguration.PID)
@ProviderMetadata(type = EsimProvider.TYPE, name = "eSIM profile binding", version = "1.0.0",
        category = SignalCategory.ESIM_BINDING)
@Designate(ocd = EsimConfiguration.class)
public class EsimProvider implements AttestationProvider {

    static final String TYPE = "esim";
    private static final System.Logger LOG = System.getLogger(EsimProvider.class.getName());
    private static final String PROFILE = "profile";
    /** ITU-T E.118: up to 19 digits, 20 with some issuers' check digit; at least 18 in practice. */
    private static final String ICCID = "89[0-9]{16,18}";
    private static final Set<String> OPERATIONS = Set.of("activate", "bind", "unlink", "retire");

    private final Clock clock;
    private final Duration signalLifetime;

    @Activate
    public EsimProvider(EsimConfiguration configuration) {
        this(configuration, Clock.systemUTC());
    }

    EsimProvider(EsimConfiguration configuration, Clock clock) {
        int lifetime = configuration.signalLifetimeSeconds();
        if (lifetime < 10 || lifetime > 3600) {
            throw new IllegalArgumentException("signalLifetimeSeconds must be between 10 and 3600, not " + lifetime);
        }
        this.clock = clock;
        this.signalLifetime = Duration.ofSeconds(lifetime);
        LOG.log(System.Logger.Level.INFO, "eSIM provider: signals last {0} s", lifetime);
    }

    @Override
    public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
        Instant expires = clock.instant().plus(signalLifetime);
        ProfileState state = state(device.records().get(PROFILE));
        if (state == ProfileState.BOUND) {
            return new Signal(SignalCategory.ESIM_BINDING, SignalResult.PASS, expires, null);
        }
        return new Signal(SignalCategory.ESIM_BINDING, SignalResult.FAIL, expires,
                state == null ? "NO_PROFILE" : "PROFILE_" + state);
    }

    @Override
    public Set<String> operations() {
        return OPERATIONS;
    }

    @Override
    public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request)
            throws AttestationException {
        ProviderRecords records = device.records();
        Optional<Map<String, String>> profile = records.get(PROFILE);
        ProfileState state = state(profile);
        String now = clock.instant().toString();
        switch (operation) {
            case "activate" -> {
                if (state == ProfileState.ACTIVATED || state == ProfileState.BOUND) {
                    throw new AttestationException(CONFLICT, "the device already has an active profile (" + state
                            + "); unlink or retire it first");
                }
                if (!(request.get("iccid") instanceof String iccid) || !iccid.matches(ICCID)) {
                    throw new AttestationException(INVALID_REQUEST, "iccid must be 18 to 20 digits starting with 89");
                }
                String handle = device.handleOf(iccid);
                records.bindExclusively(handle);
                records.put(PROFILE, Map.of("state", ProfileState.ACTIVATED.name(), "iccid", handle,
                        "activatedAt", now, "updatedAt", now));
            }
            case "bind" -> records.put(PROFILE, move(profile, state, ProfileState.BOUND, now, ProfileState.ACTIVATED));
            case "unlink" -> {
                records.put(PROFILE, move(profile, state, ProfileState.UNLINKED, now, ProfileState.BOUND));
                releaseProfile(device, profile);
            }
            case "retire" -> {
                records.put(PROFILE, move(profile, state, ProfileState.RETIRED, now,
                        ProfileState.ACTIVATED, ProfileState.BOUND, ProfileState.UNLINKED));
                releaseProfile(device, profile);
            }
            default -> throw new AttestationException(INVALID_REQUEST, "operation must be one of " + OPERATIONS);
        }
        return describe(device);
    }

    /** The profile's ICCID is free for another device, and the sessions it vouched for end. */
    private static void releaseProfile(AttestedDevice device, Optional<Map<String, String>> profile) {
        device.records().release(profile.orElseThrow().get("iccid"));
        device.endSessions();
    }

    private static Map<String, String> move(Optional<Map<String, String>> profile, ProfileState state,
            ProfileState next, String now, ProfileState... from) throws AttestationException {
        for (ProfileState allowed : from) {
            if (allowed == state) {
                Map<String, String> moved = new LinkedHashMap<>(profile.orElseThrow());
                moved.put("state", next.name());
                moved.put("updatedAt", now);
                return moved;
            }
        }
        throw new AttestationException(CONFLICT, state == null ? "the device has no eSIM profile"
                : "the profile is " + state + " and cannot become " + next);
    }

    private static ProfileState state(Optional<Map<String, String>> profile) {
        return profile.map(value -> ProfileState.valueOf(value.get("state"))).orElse(null);
    }

    @Override
    public Map<String, Object> describe(AttestedDevice device) {
        return device.records().get(PROFILE).<Map<String, Object>>map(LinkedHashMap::new)
                .orElseGet(() -> new LinkedHashMap<>(Map.of("state", "NO_PROFILE")));
    }
}
