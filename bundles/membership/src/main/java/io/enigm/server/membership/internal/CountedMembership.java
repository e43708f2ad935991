package io.enigm.server.membership.internal;

import java.util.EnumMap;
import java.util.Map;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.MembershipCount;
import io.enigm.server.membership.MembershipCounts;
import io.enigm.server.store.Database;

/** Members by state and devices by trust, counted in one read transaction, so the two agree. */
@Component(service = MembershipCounts.class)
public class CountedMembership implements MembershipCounts {

    private final Database database;
    private final EnvironmentGate gate;

    @Activate
    public CountedMembership(@Reference Database database, @Reference EnvironmentService environments) {
        this.database = database;
        this.gate = new EnvironmentGate(environments);
    }

    @Override
    public MembershipCount count(String environmentId) {
        gate.readable(environmentId);
        return database.read(handle -> new MembershipCount(environmentId,
                byState(handle, "member", "state", environmentId, MemberState.class),
                byState(handle, "device", "trust", environmentId, DeviceTrust.class)));
    }

    /** {@code SELECT column, COUNT(*) … GROUP BY column}: the table and column are this class's constants. */
    private static <E extends Enum<E>> Map<E, Long> byState(Handle handle, String table, String column,
            String environmentId, Class<E> states) {
        Map<E, Long> counts = new EnumMap<>(states);
        handle.createQuery("SELECT " + column + ", COUNT(*) FROM " + table + " WHERE environment_id = :env GROUP BY "
                + column).bind("env", environmentId)
                .map((rs, ctx) -> Map.entry(Enum.valueOf(states, rs.getString(1)), rs.getLong(2)))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }
}
