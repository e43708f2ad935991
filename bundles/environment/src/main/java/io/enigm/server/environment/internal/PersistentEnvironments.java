package io.enigm.server.environment.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.store.Database;

/** Environments in the {@code environment} table, listed by keyset on (created, id). */
@Component(service = EnvironmentService.class)
public class PersistentEnvironments implements EnvironmentService {

    private static final String COLUMNS = "id, server_id, name, region_label, state, created_at";

    private final Database database;
    private final Clock clock;

    @Activate
    public PersistentEnvironments(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    PersistentEnvironments(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Environment create(NewEnvironment request) {
        String name = TextRules.requireText("name", request.name(), NewEnvironment.MAX_NAME_LENGTH);
        String regionLabel = request.regionLabel() == null ? null
                : TextRules.requireLabel("regionLabel", request.regionLabel(), NewEnvironment.MAX_REGION_LABEL_LENGTH);
        Environment environment = new Environment(RandomIdentifiers.urlSafe(16), name, RandomIdentifiers.serverId(),
                regionLabel, EnvironmentState.ACTIVE, Instant.ofEpochMilli(clock.millis()));
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO environment (" + COLUMNS + ")"
                + " VALUES (:id, :serverId, :name, :regionLabel, :state, :createdAt)")
                .bind("id", environment.id())
                .bind("serverId", environment.serverId())
                .bind("name", environment.name())
                .bind("regionLabel", environment.regionLabel())
                .bind("state", environment.state().name())
                .bind("createdAt", environment.createdAt().toEpochMilli())
                .execute());
        return environment;
    }

    @Override
    public Environment get(String id) {
        return database.read(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM environment WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne())
                .orElseThrow(() -> new NotFoundException("environment"));
    }

    @Override
    public Page<Environment> list(PageRequest page) {
        Position after = Position.decode(page.cursor());
        List<Environment> rows = database.read(handle -> query(handle, after, page.limit() + 1));
        if (rows.size() <= page.limit()) {
            return new Page<>(rows, null);
        }
        List<Environment> items = rows.subList(0, page.limit());
        return new Page<>(items, Position.of(items.get(items.size() - 1)).encode());
    }

    private static List<Environment> query(Handle handle, Position after, int limit) {
        String where = after == null ? ""
                : " WHERE created_at > :createdAt OR (created_at = :createdAt AND id > :id)";
        var query = handle.createQuery("SELECT " + COLUMNS + " FROM environment" + where
                + " ORDER BY created_at, id LIMIT :limit").bind("limit", limit);
        if (after != null) {
            query.bind("createdAt", after.createdAt()).bind("id", after.id());
        }
        return query.map((rs, ctx) -> row(rs)).list();
    }

    private static Environment row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Environment(rs.getString("id"), rs.getString("name"), rs.getString("server_id"),
                rs.getString("region_label"), EnvironmentState.valueOf(rs.getString("state")),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    /** Where a page ends: the cursor is this pair, opaque to callers. */
    private record Position(long createdAt, String id) {

        private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{22}");

        static Position of(Environment environment) {
            return new Position(environment.createdAt().toEpochMilli(), environment.id());
        }

        String encode() {
            byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(8 + idBytes.length).putLong(createdAt).put(idBytes).array());
        }

        static Position decode(String cursor) {
            if (cursor == null) {
                return null;
            }
            try {
                ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor));
                long createdAt = bytes.getLong();
                byte[] id = new byte[bytes.remaining()];
                bytes.get(id);
                Position position = new Position(createdAt, new String(id, StandardCharsets.US_ASCII));
                if (createdAt < 0 || !ID.matcher(position.id()).matches()) {
                    throw new IllegalArgumentException("not a position");
                }
                return position;
            } catch (RuntimeException e) {
                throw new InvalidRequestException("cursor", "is not a cursor of this list");
            }
        }
    }
}
