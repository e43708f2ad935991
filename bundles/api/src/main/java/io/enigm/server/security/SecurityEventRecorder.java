package io.enigm.server.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Records security events for the bundles that see them happen. Called inside a
 * {@code io.enigm.server.store.Database} transaction, the event commits with that transaction, so an
 * action and its event are stored together or not at all.
 */
@ProviderType
public interface SecurityEventRecorder {

    /**
     * Appends one event, its time rounded down to the minute.
     *
     * @param environmentId the environment it happened in, or {@code null} for the installation
     *                      (e.g. the critical-operation PIN)
     * @param subjectHandle a per-environment handle or an opaque id of the subject (a device key's
     *                      handle, an admin token's id), or {@code null}; never a raw identifier
     */
    default void record(String environmentId, SecurityEventCategory category, String subjectHandle) {
        record(environmentId, category, subjectHandle, 1);
    }

    /**
     * Appends one event that stands for {@code occurrences} of the same thing (refusals counted
     * beyond a recording rate), its time rounded down to the minute.
     */
    void record(String environmentId, SecurityEventCategory category, String subjectHandle, long occurrences);
}
