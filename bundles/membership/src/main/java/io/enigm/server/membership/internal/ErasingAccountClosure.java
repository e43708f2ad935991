package io.enigm.server.membership.internal;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.membership.AccountClosure;
import io.enigm.server.membership.ClosedAccount;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MemberData;
import io.enigm.server.membership.MemberState;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;

/**
 * Closes accounts: the member is removed and what identifies the person is overwritten in place —
 * rows stay, so that sessions, join requests and audit records keep naming ids that exist — and
 * every registered {@link MemberData} erases its part, all in one transaction.
 */
@Component(service = AccountClosure.class)
public class ErasingAccountClosure implements AccountClosure {

    /** What an erased handle or fingerprint reads as: no value derived from the person. */
    static final String ERASED = "erased";

    private final Database database;
    private final SecurityEventRecorder events;
    private final EnvironmentGate gate;
    private final LegalHolds holds;
    private final CriticalOperationPin pin;
    private final Clock clock;
    private final List<MemberData> kinds = new CopyOnWriteArrayList<>();

    @Activate
    public ErasingAccountClosure(@Reference Database database, @Reference EnvironmentService environments,
            @Reference LegalHolds holds, @Reference CriticalOperationPin pin, @Reference SecurityEventRecorder events) {
        this(database, environments, holds, pin, events, Clock.systemUTC());
    }

    ErasingAccountClosure(Database database, EnvironmentService environments, LegalHolds holds,
            CriticalOperationPin pin, SecurityEventRecorder events, Clock clock) {
        this.database = database;
        this.events = events;
        this.gate = new EnvironmentGate(environments);
        this.holds = holds;
        this.pin = pin;
        this.clock = clock;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindData(MemberData data) {
        kinds.add(data);
    }

    void unbindData(MemberData data) {
        kinds.remove(data);
    }

    @Override
    public Member close(String environmentId, String memberId, String confirmationPin) {
        return database.inTransaction(handle -> {
            // an erasure request is honoured in a suspended or closing environment too
            gate.readable(environmentId);
            Member member = PersistentMembers.find(handle, environmentId, memberId);
            holds.holdCovering(environmentId, memberId).ifPresent(hold -> {
                throw new LegalHeldException(hold);
            });
            pin.verify(confirmationPin);
            long now = clock.millis();
            if (member.state() != MemberState.REMOVED) {
                PersistentMembers.move(handle, events, member, MemberState.REMOVED, now);
            }
            ClosedAccount account = new ClosedAccount(environmentId, memberId, devices(handle, memberId));
            erasePersonalRecords(handle, account, now);
            kinds.forEach(kind -> kind.erase(account));
            return PersistentMembers.find(handle, environmentId, memberId);
        });
    }

    private static Set<String> devices(Handle handle, String memberId) {
        return Set.copyOf(handle.createQuery("SELECT id FROM device WHERE member_id = :member")
                .bind("member", memberId).mapTo(String.class).list());
    }

    /**
     * The member's handle and display name, its devices' keys, key handles and fingerprints, and
     * what its join requests carried. A key handle stays unique per environment, so it becomes a
     * text naming the device's own id.
     */
    private static void erasePersonalRecords(Handle handle, ClosedAccount account, long now) {
        handle.createUpdate("UPDATE member SET account_handle = :erased, display_name = NULL, updated_at = :now"
                + " WHERE id = :member").bind("erased", ERASED).bind("now", now)
                .bind("member", account.memberId()).execute();
        handle.createUpdate("UPDATE device SET key_handle = :erased || ':' || id, public_key = :noKey,"
                + " fingerprint = :erased, updated_at = :now WHERE member_id = :member").bind("erased", ERASED)
                .bind("noKey", new byte[0]).bind("now", now).bind("member", account.memberId()).execute();
        handle.createUpdate("UPDATE join_request SET account_handle = NULL, key_handle = NULL, public_key = NULL,"
                + " display_name = NULL WHERE member_id = :member").bind("member", account.memberId()).execute();
    }
}
