package io.enigm.server.attestation.registry;

import java.time.Duration;

/**
 * How a provider type has used its time budget since this server started, as the registry saw it
 * when it asked for signals for decisions.
 *
 * @param type     the provider type
 * @param budget   how long a decision waits for it at most
 * @param asked    how many times it was asked
 * @param answered how many of those it answered within the budget
 * @param timedOut how many it did not answer within the budget
 * @param failed   how many it failed (threw, or answered without a signal of its category)
 * @param slowest  its slowest answer within the budget, {@link Duration#ZERO} before the first
 * @param last     how it fared the last time it was asked, {@code null} before the first
 * @since 2.1
 */
public record ProviderUsage(String type, Duration budget, long asked, long answered, long timedOut, long failed,
        Duration slowest, Outcome last) {

    /** How one request for a signal ended. */
    public enum Outcome {
        ANSWERED, TIMED_OUT, FAILED
    }
}
