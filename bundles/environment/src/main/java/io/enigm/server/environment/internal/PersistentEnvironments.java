package io.enigm.server.environment.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.common.ConflictException;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.Keyset;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.DefensiveResponse;
import io.enigm.server.environment.EnrollmentTrust;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.environment.LegalHold;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.Surface;
import io.enigm.server.environment.VisibilityRules;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.store.CommittedReadCache;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeysetCondition;

/**
 * Environments in the {@code environment} table, listed by keyset on (created, id).
 *
 * <p>A closing environment whose grace period has ended reads as {@link EnvironmentState#CLOSED}
 * at once; {@link ClosingSweeper} writes that state down later. Deleting keeps the row as a
 * tombstone, destroys the environment's key (crypto-shredding) and revokes its admin tokens; a legal
 * hold on the environment or any of its members refuses it.
 */
@Component(service = EnvironmentService.class, configurationPid = LifecycleConfiguration.PID)
@Designate(ocd = LifecycleConfiguration.class)
public class PersistentEnvironments implements EnvironmentService {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentEnvironments.class);

    private static final String COLUMNS = "id, server_id, name, region_label, state, created_at, member_directory,"
            + " display_names, content_lifetime_days, new_device_trust, closing_ends_at, surfaces,"
            + " auto_restrict_failures, auto_restrict_window_seconds";

    private static final int CACHED_ENVIRONMENTS = 20_000;

    private final Database database;
    private final Pseudonyms pseudonyms;
    private final CriticalOperationPin pin;
    private final LegalHolds holds;
    private final Duration closingGracePeriod;
    private final Clock clock;
    /**
     * Rows as stored, for the environment check of nearly every request. {@link ClosingSweeper}
     * writes CLOSED behind the cache's back, which changes nothing: a cached CLOSING row whose grace
     * period has ended already reads as CLOSED.
     */
    private final CommittedReadCache<String, Environment> stored;

    @Activate
    public PersistentEnvironments(@Reference Database database, @Reference Pseudonyms pseudonyms,
            @Reference CriticalOperationPin pin, @Reference LegalHolds holds, LifecycleConfiguration configuration) {
        this(database, pseudonyms, pin, holds,
                Lifecycle.positiveDuration("closingGracePeriod", configuration.closingGracePeriod()),
                Clock.systemUTC());
        LOG.info("Environments: closing grace period {}", closingGracePeriod);
    }

    PersistentEnvironments(Database database, Pseudonyms pseudonyms, CriticalOperationPin pin, LegalHolds holds,
            Duration closingGracePeriod, Clock clock) {
        this.database = database;
        this.pseudonyms = pseudonyms;
        this.pin = pin;
        this.holds = holds;
        this.closingGracePeriod = closingGracePeriod;
        this.clock = clock;
        this.stored = new CommittedReadCache<>(database, CACHED_ENVIRONMENTS);
    }

    @Override
    public Environment create(NewEnvironment request) {
        String name = TextRules.requireText("name", request.name(), NewEnvironment.MAX_NAME_LENGTH);
        String regionLabel = request.regionLabel() == null ? null
                : TextRules.requireLabel("regionLabel", request.regionLabel(), NewEnvironment.MAX_REGION_LABEL_LENGTH);
        Environment environment = new Environment(RandomIdentifiers.urlSafe(16), name, RandomIdentifiers.serverId(),
                regionLabel, EnvironmentState.ACTIVE, Instant.ofEpochMilli(clock.millis()), VisibilityRules.PRIVATE,
                Environment.MAX_CONTENT_LIFETIME_DAYS, EnrollmentTrust.PENDING, false, null, Surface.all());
        database.inTransaction(handle -> {
            handle.createUpdate("INSERT INTO environment (" + COLUMNS + ")"
                + " VALUES (:id, :serverId, :name, :regionLabel, :state, :createdAt, :memberDirectory, :displayNames,"
                + " :contentLifetimeDays, :newDeviceTrust, :closingEndsAt, :surfaces, :failures, :window)")
                .bind("id", environment.id())
                .bind("serverId", environment.serverId())
                .bind("name", environment.name())
                .bind("regionLabel", environment.regionLabel())
                .bind("state", environment.state().name())
                .bind("createdAt", environment.createdAt().toEpochMilli())
                .bind("memberDirectory", environment.visibility().memberDirectory() ? 1 : 0)
                .bind("displayNames", environment.visibility().displayNames() ? 1 : 0)
                .bind("contentLifetimeDays", environment.contentLifetimeDays())
                .bind("newDeviceTrust", environment.newDeviceTrust().name())
                .bind("closingEndsAt", (Long) null)
                .bind("surfaces", SurfaceColumn.text(environment.surfaces()))
                .bind("failures", environment.defensiveResponse().failures())
                .bind("window", environment.defensiveResponse().windowSeconds())
                .execute();
            pseudonyms.createKey(environment.id());
            return null;
        });
        return environment;
    }

    @Override
    public Environment get(String id) {
        return stored.get(id, key -> database.read(handle -> findStored(handle, key)))
                .map(this::asNow)
                .orElseThrow(() -> new NotFoundException("environment"));
    }

    private Environment find(Handle handle, String id) {
        return findStored(handle, id).map(this::asNow).orElseThrow(() -> new NotFoundException("environment"));
    }

    private static Optional<Environment> findStored(Handle handle, String id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM environment WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> stored(rs))
                .findOne();
    }

    @Override
    public Page<Environment> list(PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        List<Environment> rows = database.read(handle -> query(handle, after, page.limit() + 1));
        return Keyset.page(rows, page.limit(), environment -> new Keyset(environment.createdAt().toEpochMilli(),
                environment.id()));
    }

    @Override
    public Environment update(String id, EnvironmentChanges changes) {
        String name = changes.name() == null ? null
                : TextRules.requireText("name", changes.name(), NewEnvironment.MAX_NAME_LENGTH);
        String regionLabel = changes.regionLabel() == null ? null
                : TextRules.requireLabel("regionLabel", changes.regionLabel(), NewEnvironment.MAX_REGION_LABEL_LENGTH);
        Integer lifetime = changes.contentLifetimeDays();
        if (lifetime != null && (lifetime < 1 || lifetime > Environment.MAX_CONTENT_LIFETIME_DAYS)) {
            throw new InvalidRequestException("contentLifetimeDays",
                    "must be from 1 to " + Environment.MAX_CONTENT_LIFETIME_DAYS);
        }
        DefensiveResponseRules.requireValid(changes.defensiveResponse());
        return database.inTransaction(handle -> {
            stored.invalidate(id);
            Environment current = find(handle, id);
            requireWritable(current);
            Environment changed = new Environment(current.id(), name != null ? name : current.name(),
                    current.serverId(), regionLabel != null ? regionLabel : current.regionLabel(), current.state(),
                    current.createdAt(), changes.visibility() != null ? changes.visibility() : current.visibility(),
                    lifetime != null ? lifetime : current.contentLifetimeDays(),
                    changes.newDeviceTrust() != null ? changes.newDeviceTrust() : current.newDeviceTrust(),
                    current.legalHold(), current.closingEndsAt(),
                    changes.surfaces() != null ? changes.surfaces() : current.surfaces(),
                    changes.defensiveResponse() != null ? changes.defensiveResponse() : current.defensiveResponse());
            handle.createUpdate("UPDATE environment SET name = :name, region_label = :regionLabel,"
                    + " member_directory = :memberDirectory, display_names = :displayNames,"
                    + " content_lifetime_days = :contentLifetimeDays, new_device_trust = :newDeviceTrust,"
                    + " surfaces = :surfaces, auto_restrict_failures = :failures,"
                    + " auto_restrict_window_seconds = :window WHERE id = :id")
                    .bind("name", changed.name())
                    .bind("regionLabel", changed.regionLabel())
                    .bind("memberDirectory", changed.visibility().memberDirectory() ? 1 : 0)
                    .bind("displayNames", changed.visibility().displayNames() ? 1 : 0)
                    .bind("contentLifetimeDays", changed.contentLifetimeDays())
                    .bind("newDeviceTrust", changed.newDeviceTrust().name())
                    .bind("surfaces", SurfaceColumn.text(changed.surfaces()))
                    .bind("failures", changed.defensiveResponse().failures())
                    .bind("window", changed.defensiveResponse().windowSeconds())
                    .bind("id", id)
                    .execute();
            return changed;
        });
    }

    /** From closing on, an environment's settings and data are read-only; only its lifecycle moves on. */
    private static void requireWritable(Environment environment) {
        if (environment.state().isReadOnly()) {
            throw new ConflictException("the environment is " + environment.state() + " and therefore read-only");
        }
    }

    @Override
    public Environment apply(String id, LifecycleAction action, String confirmationPin) {
        if (action == null) {
            throw new InvalidRequestException("action", "is required");
        }
        return database.inTransaction(handle -> {
            stored.invalidate(id);
            Environment current = find(handle, id);
            EnvironmentState next = Lifecycle.next(current.state(), action);
            if (action == LifecycleAction.DELETE) {
                Optional<LegalHold> hold = holds.holdCovering(id, null);
                if (hold.isPresent()) {
                    throw new LegalHeldException(hold.get());
                }
            }
            if (action.isCritical()) {
                pin.verify(confirmationPin);
            }
            Instant closingEndsAt = next == EnvironmentState.CLOSING
                    ? Instant.ofEpochMilli(clock.millis()).plus(closingGracePeriod) : null;
            if (next == EnvironmentState.DELETED) {
                erase(handle, id);
            }
            handle.createUpdate("UPDATE environment SET state = :state, closing_ends_at = :closingEndsAt"
                    + " WHERE id = :id")
                    .bind("state", next.name())
                    .bind("closingEndsAt", closingEndsAt == null ? null : closingEndsAt.toEpochMilli())
                    .bind("id", id)
                    .execute();
            return new Environment(current.id(), current.name(), current.serverId(), current.regionLabel(), next,
                    current.createdAt(), current.visibility(), current.contentLifetimeDays(), current.newDeviceTrust(),
                    current.legalHold(), closingEndsAt, current.surfaces(), current.defensiveResponse());
        });
    }

    /**
     * What deletion takes away at once: the key, so every handle stored anywhere stops linking to a
     * person, and the environment's administrators. The row stays as a tombstone for the audit.
     */
    private void erase(Handle handle, String id) {
        pseudonyms.destroyKey(id);
        handle.createUpdate("UPDATE admin_token SET revoked_at = :now"
                + " WHERE environment_id = :id AND revoked_at IS NULL")
                .bind("now", clock.millis())
                .bind("id", id)
                .execute();
    }

    private List<Environment> query(Handle handle, Keyset after, int limit) {
        var query = handle.createQuery("SELECT " + COLUMNS + " FROM environment WHERE 1 = 1"
                + KeysetCondition.after(after, "") + " ORDER BY created_at, id LIMIT :limit")
                .bind("limit", limit);
        KeysetCondition.bind(query, after);
        return query.map((rs, ctx) -> asNow(stored(rs))).list();
    }

    /** A row as stored; holds live in their own table, so {@link #asNow} says whether one covers it. */
    private static Environment stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        Number closingEndsAt = (Number) rs.getObject("closing_ends_at");
        return new Environment(rs.getString("id"), rs.getString("name"), rs.getString("server_id"),
                rs.getString("region_label"), EnvironmentState.valueOf(rs.getString("state")),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                new VisibilityRules(rs.getBoolean("member_directory"), rs.getBoolean("display_names")),
                rs.getInt("content_lifetime_days"), EnrollmentTrust.valueOf(rs.getString("new_device_trust")), false,
                closingEndsAt == null ? null : Instant.ofEpochMilli(closingEndsAt.longValue()),
                SurfaceColumn.parse(rs.getString("surfaces")),
                new DefensiveResponse(rs.getInt("auto_restrict_failures"), rs.getInt("auto_restrict_window_seconds")));
    }

    /**
     * A row as it stands now: a grace period that has ended reads as closed before the sweeper writes
     * it, and the legal hold flag says whether a hold covers the environment at this moment.
     */
    private Environment asNow(Environment stored) {
        boolean closed = stored.state() == EnvironmentState.CLOSING && stored.closingEndsAt() != null
                && stored.closingEndsAt().toEpochMilli() <= clock.millis();
        boolean held = holds.holdCovering(stored.id(), null).isPresent();
        if (!closed && held == stored.legalHold()) {
            return stored;
        }
        return new Environment(stored.id(), stored.name(), stored.serverId(), stored.regionLabel(),
                closed ? EnvironmentState.CLOSED : stored.state(), stored.createdAt(), stored.visibility(),
                stored.contentLifetimeDays(), stored.newDeviceTrust(), held,
                closed ? null : stored.closingEndsAt(), stored.surfaces(), stored.defensiveResponse());
    }
}
