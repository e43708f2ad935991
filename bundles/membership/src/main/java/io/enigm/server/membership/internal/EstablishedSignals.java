package io.enigm.server.membership.internal;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.enigm.server.attestation.spi.SignalCategory;

/**
 * The provider signals a session's opening or renewal established, as the session row keeps them:
 * {@code CATEGORY=expiry millis}, comma-separated, or {@code null} for none. A category this build
 * does not know (written by a newer one) is left out, which only makes the provider be asked again.
 */
final class EstablishedSignals {

    private EstablishedSignals() {
    }

    static String encode(Map<SignalCategory, Instant> signals) {
        return signals.isEmpty() ? null : signals.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(signal -> signal.getKey().name() + "=" + signal.getValue().toEpochMilli())
                .collect(Collectors.joining(","));
    }

    static Map<SignalCategory, Instant> decode(String column) {
        Map<SignalCategory, Instant> signals = new EnumMap<>(SignalCategory.class);
        if (column == null) {
            return signals;
        }
        for (String signal : column.split(",")) {
            int equals = signal.indexOf('=');
            try {
                signals.put(SignalCategory.valueOf(signal.substring(0, equals)),
                        Instant.ofEpochMilli(Long.parseLong(signal.substring(equals + 1))));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                // not one this build knows: asked again
            }
        }
        return signals;
    }
}
