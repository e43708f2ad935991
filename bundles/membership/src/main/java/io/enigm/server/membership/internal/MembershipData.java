package io.enigm.server.membership.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.store.Database;

/**
 * The membership data of an environment, for the erasure of deleted environments: members,
 * devices (with their raw public keys), join requests, invites, sessions, challenges and security
 * events. A deleted
 * environment's membership is unavailable at once (every service treats it as not found); this
 * removes the rows for good.
 */
@Component(service = EnvironmentData.class)
public class MembershipData implements EnvironmentData {

    /** Children before parents, so foreign keys hold at every step. */
    private static final List<String> TABLES = List.of("security_event", "session", "invite",
            "join_request", "device", "member");

    private final Database database;

    @Activate
    public MembershipData(@Reference Database database) {
        this.database = database;
    }

    @Override
    public String name() {
        return "membership";
    }

    @Override
    public boolean holds(String environmentId) {
        return database.read(handle -> handle.createQuery(
                "SELECT EXISTS (SELECT 1 FROM member WHERE environment_id = :env)"
                + " OR EXISTS (SELECT 1 FROM join_request WHERE environment_id = :env)"
                + " OR EXISTS (SELECT 1 FROM invite WHERE environment_id = :env)"
                + " OR EXISTS (SELECT 1 FROM security_event WHERE environment_id = :env)")
                .bind("env", environmentId).mapTo(Boolean.class).one());
    }

    @Override
    public void erase(String environmentId) {
        database.inTransaction(handle -> {
            handle.createUpdate("UPDATE device SET replaced_by = NULL WHERE environment_id = :env")
                    .bind("env", environmentId).execute();
            handle.createUpdate("UPDATE join_request SET member_id = NULL, device_id = NULL WHERE environment_id = :env")
                    .bind("env", environmentId).execute();
            for (String table : TABLES) {
                handle.createUpdate("DELETE FROM " + table + " WHERE environment_id = :env")
                        .bind("env", environmentId).execute();
            }
            return null;
        });
    }
}
