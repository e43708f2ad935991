package io.enigm.server.policy.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.enigm.server.policy.Requirement;
import io.enigm.server.store.Database;

/**
 * When devices stopped meeting graceable requirements, in {@code policy_grace}. Read only when a
 * graceable requirement fails, and written only when a device's standing changes (first seen
 * meeting it, first failure after meeting it), after the decision is made; a device that keeps
 * meeting its requirements costs one write per requirement after each start, then nothing.
 */
final class GraceLedger {

    private final Database database;
    /** Devices and requirements stored as met since start: their next pass writes nothing. */
    private final Set<String> storedAsMet = ConcurrentHashMap.newKeySet();

    GraceLedger(Database database) {
        this.database = database;
    }

    /**
     * Since when the device has failed each of the {@code failing} requirements after having met
     * it: the stored start, or {@code now} for a first failure; {@link Signals#NO_GRACE} for a
     * requirement the device never met.
     */
    long[] failingSince(String environmentId, String deviceId, int failing, long now) {
        long[] since = Signals.noGrace();
        database.read(handle -> handle.createQuery("SELECT requirement, failing_since FROM policy_grace"
                + " WHERE environment_id = :env AND device_id = :device")
                .bind("env", environmentId).bind("device", deviceId)
                .map((rs, ctx) -> {
                    Requirement requirement = Requirement.valueOf(rs.getString("requirement"));
                    if ((failing & Requirements.bit(requirement)) != 0) {
                        Number start = (Number) rs.getObject("failing_since");
                        since[requirement.ordinal()] = start == null ? now : start.longValue();
                    }
                    return requirement;
                }).list());
        return since;
    }

    /**
     * Records a decision's news: requirements in {@code met} are met now, those in {@code failed}
     * (a provider's FAIL) start failing now unless they already were, or were never met.
     */
    void record(String environmentId, String deviceId, int met, int failed, long now) {
        int newlyMet = 0;
        for (int rest = met; rest != 0; rest &= rest - 1) {
            int requirement = Integer.numberOfTrailingZeros(rest);
            if (!storedAsMet.contains(key(environmentId, deviceId, requirement))) {
                newlyMet |= 1 << requirement;
            }
        }
        if (newlyMet == 0 && failed == 0) {
            return;
        }
        int stored = newlyMet;
        database.inTransaction(handle -> {
            for (int rest = stored; rest != 0; rest &= rest - 1) {
                String requirement = Requirements.ALL[Integer.numberOfTrailingZeros(rest)].name();
                int updated = handle.createUpdate("UPDATE policy_grace SET met_at = :now, failing_since = NULL"
                        + " WHERE environment_id = :env AND device_id = :device AND requirement = :requirement")
                        .bind("now", now).bind("env", environmentId).bind("device", deviceId)
                        .bind("requirement", requirement).execute();
                if (updated == 0) {
                    handle.createUpdate("INSERT INTO policy_grace (environment_id, device_id, requirement, met_at)"
                            + " VALUES (:env, :device, :requirement, :now)")
                            .bind("now", now).bind("env", environmentId).bind("device", deviceId)
                            .bind("requirement", requirement).execute();
                }
            }
            for (int rest = failed; rest != 0; rest &= rest - 1) {
                handle.createUpdate("UPDATE policy_grace SET failing_since = :now WHERE environment_id = :env"
                        + " AND device_id = :device AND requirement = :requirement AND failing_since IS NULL")
                        .bind("now", now).bind("env", environmentId).bind("device", deviceId)
                        .bind("requirement", Requirements.ALL[Integer.numberOfTrailingZeros(rest)].name()).execute();
            }
            return null;
        });
        for (int rest = stored; rest != 0; rest &= rest - 1) {
            storedAsMet.add(key(environmentId, deviceId, Integer.numberOfTrailingZeros(rest)));
        }
        for (int rest = failed; rest != 0; rest &= rest - 1) {
            storedAsMet.remove(key(environmentId, deviceId, Integer.numberOfTrailingZeros(rest)));
        }
    }

    private static String key(String environmentId, String deviceId, int requirement) {
        return environmentId + '/' + deviceId + '/' + requirement;
    }
}
