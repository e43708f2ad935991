package io.enigm.server.environment.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.environment.LegalHold;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.store.CommittedReadCache;
import io.enigm.server.store.Database;

/**
 * Legal holds in the {@code legal_hold} table, one row per held subject. Every environment's holds
 * are cached together, since every deletion and every read of an environment asks for them; a
 * hold's end needs no write, as {@link LegalHold#coversAt} is asked at the moment of the question.
 */
@Component(service = LegalHolds.class)
public class PersistentLegalHolds implements LegalHolds {

    private static final int CACHED_ENVIRONMENTS = 20_000;

    private final Database database;
    private final CriticalOperationPin pin;
    private final Clock clock;
    /** Every hold row of an environment, ended ones included; an environment without holds holds an empty list. */
    private final CommittedReadCache<String, List<LegalHold>> holds;

    @Activate
    public PersistentLegalHolds(@Reference Database database, @Reference CriticalOperationPin pin) {
        this(database, pin, Clock.systemUTC());
    }

    PersistentLegalHolds(Database database, CriticalOperationPin pin, Clock clock) {
        this.database = database;
        this.pin = pin;
        this.clock = clock;
        this.holds = new CommittedReadCache<>(database, CACHED_ENVIRONMENTS);
    }

    @Override
    public LegalHold place(String environmentId, String memberId, String reason, Instant until,
            String confirmationPin) {
        String text = TextRules.requireText("reason", reason, LegalHold.MAX_REASON_LENGTH);
        Instant now = Instant.ofEpochMilli(clock.millis());
        if (until != null && !until.isAfter(now)) {
            throw new InvalidRequestException("until", "must be in the future");
        }
        LegalHold hold = new LegalHold(environmentId, memberId, text, now, until);
        return database.inTransaction(handle -> {
            holds.invalidate(environmentId);
            if (requireEnvironment(handle, environmentId) == EnvironmentState.DELETED) {
                throw new ConflictException("the environment is DELETED; there is nothing left to hold");
            }
            if (memberId != null) {
                requireMember(handle, environmentId, memberId);
            }
            pin.verify(confirmationPin);
            delete(handle, environmentId, memberId);
            handle.createUpdate("INSERT INTO legal_hold (environment_id, member_id, reason, placed_at, ends_at)"
                    + " VALUES (:env, :member, :reason, :placedAt, :endsAt)")
                    .bind("env", environmentId)
                    .bind("member", memberId)
                    .bind("reason", text)
                    .bind("placedAt", now.toEpochMilli())
                    .bind("endsAt", until == null ? null : until.toEpochMilli())
                    .execute();
            return hold;
        });
    }

    @Override
    public void lift(String environmentId, String memberId, String confirmationPin) {
        database.inTransaction(handle -> {
            holds.invalidate(environmentId);
            requireEnvironment(handle, environmentId);
            boolean placed = load(handle, environmentId).stream()
                    .anyMatch(hold -> Objects.equals(hold.memberId(), memberId));
            if (!placed) {
                throw new NotFoundException("legal hold");
            }
            pin.verify(confirmationPin);
            delete(handle, environmentId, memberId);
            return null;
        });
    }

    @Override
    public Optional<LegalHold> holdCovering(String environmentId, String memberId) {
        List<LegalHold> placed = holds.get(environmentId, key -> Optional.of(database.read(h -> load(h, key))))
                .orElseThrow();
        if (placed.isEmpty()) {
            // nearly every environment, on nearly every request: no clock, no stream
            return Optional.empty();
        }
        Instant now = Instant.ofEpochMilli(clock.millis());
        List<LegalHold> covering = placed.stream().filter(hold -> hold.coversAt(now)).toList();
        Optional<LegalHold> onEnvironment = covering.stream().filter(hold -> hold.memberId() == null).findFirst();
        if (onEnvironment.isPresent()) {
            return onEnvironment;
        }
        return covering.stream().filter(hold -> memberId == null || memberId.equals(hold.memberId())).findFirst();
    }

    private static List<LegalHold> load(Handle handle, String environmentId) {
        return handle.createQuery("SELECT member_id, reason, placed_at, ends_at FROM legal_hold"
                + " WHERE environment_id = :env ORDER BY placed_at")
                .bind("env", environmentId)
                .map((rs, ctx) -> {
                    Number endsAt = (Number) rs.getObject("ends_at");
                    return new LegalHold(environmentId, rs.getString("member_id"), rs.getString("reason"),
                            Instant.ofEpochMilli(rs.getLong("placed_at")),
                            endsAt == null ? null : Instant.ofEpochMilli(endsAt.longValue()));
                })
                .list();
    }

    private static void delete(Handle handle, String environmentId, String memberId) {
        if (memberId == null) {
            handle.createUpdate("DELETE FROM legal_hold WHERE environment_id = :env AND member_id IS NULL")
                    .bind("env", environmentId).execute();
        } else {
            handle.createUpdate("DELETE FROM legal_hold WHERE environment_id = :env AND member_id = :member")
                    .bind("env", environmentId).bind("member", memberId).execute();
        }
    }

    private static EnvironmentState requireEnvironment(Handle handle, String environmentId) {
        return handle.createQuery("SELECT state FROM environment WHERE id = :id")
                .bind("id", environmentId)
                .mapTo(String.class)
                .findOne()
                .map(EnvironmentState::valueOf)
                .orElseThrow(() -> new NotFoundException("environment"));
    }

    /** The member table is the membership bundle's; a hold only needs to know the member exists in the environment. */
    private static void requireMember(Handle handle, String environmentId, String memberId) {
        if (handle.createQuery("SELECT COUNT(*) FROM member WHERE id = :id AND environment_id = :env")
                .bind("id", memberId).bind("env", environmentId).mapTo(Integer.class).one() == 0) {
            throw new NotFoundException("member");
        }
    }
}
