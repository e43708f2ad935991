package io.enigm.server.policy.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.enigm.server.policy.Requirement;
import io.enigm.server.store.Database;

/**
 * When devices last met graceable requirements and since when they have been in a verified lapse,
 * in {@code policy_grace}. Read only when a graceable requirement is in a lapse, and written after
 * the decision is made, only when a device's standing changes (first failure after meeting it) or
 * its record of meeting it is older than {@link #MET_REFRESH_MILLIS}: a device that keeps meeting
 * its requirements costs one write per requirement and hour, so that the record of its last pass
 * stays recent enough to decide whether a lapse is new (a pass long ago grants nothing).
 */
final class GraceLedger {

    /** How stale the stored time of a device's last pass may get: the precision of "met recently". */
    static final long MET_REFRESH_MILLIS = 3_600_000;

    private final Database database;
    /** When each device's pass of each requirement was last stored since start. */
    private final Map<String, Long> storedAsMet = new ConcurrentHashMap<>();

    GraceLedger(Database database) {
        this.database = database;
    }

    /**
     * The request's signals with, for each of the {@code lapsing} requirements the device met
     * before, since when it has been failing (the stored start, or {@code now} for a first failure)
     * and when it was last stored as met; {@link Signals#NO_GRACE} for a requirement never met.
     */
    Signals signals(String environmentId, String deviceId, int met, int unavailable, int lapsing, long now) {
        long[] since = Signals.noGrace();
        long[] lastMet = Signals.noGrace();
        database.read(handle -> handle.createQuery("SELECT requirement, met_at, failing_since FROM policy_grace"
                + " WHERE environment_id = :env AND device_id = :device")
                .bind("env", environmentId).bind("device", deviceId)
                .map((rs, ctx) -> {
                    Requirement requirement = Requirement.valueOf(rs.getString("requirement"));
                    if ((lapsing & Requirements.bit(requirement)) != 0) {
                        Number start = (Number) rs.getObject("failing_since");
                        since[requirement.ordinal()] = start == null ? now : start.longValue();
                        lastMet[requirement.ordinal()] = rs.getLong("met_at");
                    }
                    return requirement;
                }).list());
        return new Signals(met, unavailable, since, lastMet);
    }

    /**
     * Records a decision's news: requirements in {@code met} are met now, those in {@code failed}
     * (a verified lapse) start failing now unless they already were, or were never met.
     */
    void record(String environmentId, String deviceId, int met, int failed, long now) {
        int newlyMet = 0;
        for (int rest = met; rest != 0; rest &= rest - 1) {
            int requirement = Integer.numberOfTrailingZeros(rest);
            Long stored = storedAsMet.get(key(environmentId, deviceId, requirement));
            if (stored == null || now - stored >= MET_REFRESH_MILLIS) {
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
            storedAsMet.put(key(environmentId, deviceId, Integer.numberOfTrailingZeros(rest)), now);
        }
        for (int rest = failed; rest != 0; rest &= rest - 1) {
            storedAsMet.remove(key(environmentId, deviceId, Integer.numberOfTrailingZeros(rest)));
        }
    }

    private static String key(String environmentId, String deviceId, int requirement) {
        return environmentId + '/' + deviceId + '/' + requirement;
    }
}
