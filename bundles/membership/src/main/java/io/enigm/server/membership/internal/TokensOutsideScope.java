package io.enigm.server.membership.internal;

import java.time.Clock;

import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeyedRead;

/**
 * A session token refused by one environment that is live in another: a token copied off its device
 * or a client probing across environments. Raised as {@code TOKEN_OUTSIDE_SCOPE} in the environment
 * the token belongs to, whose administrators can act on the device, at the bounded rate of the
 * session flow's other refusals. Only a live token's holder can cause the event, so no flood of
 * made-up tokens turns into writes.
 */
final class TokensOutsideScope {

    /** The live session a token hash opens: its environment and its device's key handle. */
    private record Live(String environmentId, String keyHandle) {
    }

    private static final KeyedRead<Live> LIVE = new KeyedRead<>("SELECT s.environment_id, d.key_handle"
            + " FROM session s JOIN device d ON d.id = s.device_id WHERE s.token_hash = ? AND s.closed_at IS NULL"
            + " AND s.expires_at > ?", rs -> new Live(rs.getString(1), rs.getString(2)));

    private final Database database;
    private final RefusalEvents events;
    private final Clock clock;

    TokensOutsideScope(Database database, RefusalEvents events, Clock clock) {
        this.database = database;
        this.events = events;
        this.clock = clock;
    }

    /** After {@code environmentId} refused the token with {@code tokenHash}: raises it if another environment's. */
    void refused(String tokenHash, String environmentId) {
        if (tokenHash == null) {
            return;
        }
        long now = clock.millis();
        database.read(handle -> LIVE.find(handle, tokenHash, now))
                .filter(live -> !live.environmentId().equals(environmentId)).ifPresent(live -> events.record(
                        live.environmentId(), SecurityEventCategory.TOKEN_OUTSIDE_SCOPE, live.keyHandle()));
    }
}
