package io.enigm.server.attestation.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.AttestedDevice;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;

/**
 * A provider as an integrator might write one, with a behaviour the test chooses: answer at once,
 * sleep past any budget, or throw (in evaluate and operate alike). It remembers a "tag" record, with
 * how many times it was tagged, so tests can see records persist and operations read them.
 */
class TestProvider implements AttestationProvider {

    enum Behaviour { ANSWER, SLEEP, THROW }

    private final String type;
    private final SignalCategory category;
    private final Behaviour behaviour;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();

    TestProvider(String type, SignalCategory category, Behaviour behaviour) {
        this.type = type;
        this.category = category;
        this.behaviour = behaviour;
    }

    /** The service properties it would be registered with. */
    Map<String, Object> properties() {
        return Map.of(ProviderMetadata.TYPE, type, ProviderMetadata.NAME, "Test provider " + type,
                ProviderMetadata.VERSION, "1.0.0", ProviderMetadata.CATEGORY, category.name());
    }

    @Override
    public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
        calls.incrementAndGet();
        behave(evidence);
        SignalResult result = "good".equals(evidence.get("proof")) ? SignalResult.PASS : SignalResult.FAIL;
        return new Signal(category, result, Instant.now().plus(Duration.ofMinutes(5)), result == SignalResult.PASS
                ? null : "NO_PROOF");
    }

    private void behave(Map<String, Object> input) {
        switch (behaviour) {
            case SLEEP -> {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    Thread.currentThread().interrupt();
                }
            }
            case THROW -> throw new IllegalStateException("input " + input + " is secret");
            default -> {
                // answers at once
            }
        }
    }

    @Override
    public Set<String> operations() {
        return Set.of("tag");
    }

    @Override
    public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request)
            throws AttestationException {
        behave(request);
        Object value = request.get("serial");
        if (!(value instanceof String serial)) {
            throw new AttestationException(AttestationException.Reason.INVALID_REQUEST, "serial is required");
        }
        int tagged = device.records().get("tag").map(tag -> Integer.parseInt(tag.get("count"))).orElse(0);
        device.records().put("tag", Map.of("serial", device.handleOf(serial), "count", Integer.toString(tagged + 1)));
        return describe(device);
    }

    @Override
    public Map<String, Object> describe(AttestedDevice device) {
        return device.records().get("tag").<Map<String, Object>>map(Map::copyOf).orElse(Map.of());
    }
}
