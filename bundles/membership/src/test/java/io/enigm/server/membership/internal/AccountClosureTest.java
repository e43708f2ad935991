package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.membership.ClosedAccount;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MemberData;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.internal.Installation.DeviceKey;

/**
 * Closing an account on a real store: the person's handles, names and keys are overwritten, every
 * registered kind of member data is told, and nothing changes when the closure is refused.
 */
class AccountClosureTest {

    @TempDir
    Path directory;

    private Installation installation;
    private Environment environment;
    private ErasingAccountClosure closure;
    private final List<ClosedAccount> told = new ArrayList<>();

    @BeforeEach
    void start() {
        installation = new Installation(directory);
        environment = installation.environment("Field office");
        installation.pin.set(Installation.PIN, null);
        closure = new ErasingAccountClosure(installation.database, installation.environments, installation.holds,
                installation.pin, installation.securityEvents, installation.clock);
        closure.bindData(recording("recording", told));
    }

    @AfterEach
    void close() {
        installation.close();
    }

    private JoinRequest join(String account, String displayName) {
        String id = installation.joinRequests.submit(new JoinSubmission(environment.serverId(), account,
                DeviceKey.generate().publicKey(), displayName, null)).join().id();
        return installation.approve(environment.id(), id);
    }

    @Test
    void closingErasesWhatIdentifiesThePersonAndTellsEveryKindOfMemberData() {
        JoinRequest alice = join("alice@enigm", "Alice A.");
        JoinRequest laptop = join("alice@enigm", null);
        JoinRequest bob = join("bob@enigm", "Bob B.");
        installation.openSession(environment.id(), alice.memberId(), alice.deviceId());
        long auditBefore = installation.count("audit_record");

        Member closed = closure.close(environment.id(), alice.memberId(), Installation.PIN);

        assertEquals(MemberState.REMOVED, closed.state());
        assertEquals(ErasingAccountClosure.ERASED, closed.accountHandle());
        assertEquals(List.of(new ClosedAccount(environment.id(), alice.memberId(),
                Set.of(alice.deviceId(), laptop.deviceId()))), told);
        assertNull(column("SELECT display_name FROM member WHERE id = ?", alice.memberId()));
        for (String device : List.of(alice.deviceId(), laptop.deviceId())) {
            assertEquals(DeviceTrust.REVOKED, installation.devices.get(environment.id(), device).trust());
            assertEquals("erased:" + device, column("SELECT key_handle FROM device WHERE id = ?", device));
            assertEquals("erased", column("SELECT fingerprint FROM device WHERE id = ?", device));
            assertArrayEquals(new byte[0], installation.database.read(handle -> handle.createQuery(
                    "SELECT public_key FROM device WHERE id = :id").bind("id", device).mapTo(byte[].class).one()));
        }
        assertEquals(Long.valueOf(0), installation.database.read(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM join_request WHERE member_id = :member AND (account_handle IS NOT NULL OR key_handle IS NOT NULL"
                + " OR public_key IS NOT NULL OR display_name IS NOT NULL)").bind("member", alice.memberId())
                .mapTo(Long.class).one()));
        assertEquals(0, installation.sessions.list(environment.id(), alice.memberId(), null,
                io.enigm.server.common.PageRequest.first(50)).items().size());
        // Bob is untouched, and the audit chain (the PIN's check wrote to it) still verifies.
        assertEquals("Bob B.", column("SELECT display_name FROM member WHERE id = ?", bob.memberId()));
        assertTrue(installation.count("audit_record") >= auditBefore);
        assertTrue(installation.audit.verify().intact());
        // The person may join again: the erased handle no longer names them.
        JoinRequest again = join("alice@enigm", "Alice A.");
        assertTrue(!again.memberId().equals(alice.memberId()));
    }

    @Test
    void aRemovedMembersAccountCanStillBeClosed() {
        JoinRequest alice = join("alice@enigm", "Alice A.");
        installation.members.remove(environment.id(), alice.memberId());
        closure.close(environment.id(), alice.memberId(), Installation.PIN);
        assertNull(column("SELECT display_name FROM member WHERE id = ?", alice.memberId()));
        assertEquals(1, told.size());
    }

    @Test
    void aLegalHoldOnTheMemberOrTheEnvironmentRefusesTheClosureAndNothingChanges() {
        JoinRequest alice = join("alice@enigm", "Alice A.");
        installation.holds.place(environment.id(), alice.memberId(), "litigation", null, Installation.PIN);
        Map<String, Long> before = installation.counts();
        assertThrows(LegalHeldException.class, () -> closure.close(environment.id(), alice.memberId(),
                Installation.PIN));
        installation.holds.place(environment.id(), null, "inquiry", null, Installation.PIN);
        JoinRequest bob = join("bob@enigm", "Bob B.");
        assertThrows(LegalHeldException.class, () -> closure.close(environment.id(), bob.memberId(),
                Installation.PIN));
        assertEquals(MemberState.ACTIVE, installation.members.get(environment.id(), alice.memberId()).state());
        assertEquals("Alice A.", column("SELECT display_name FROM member WHERE id = ?", alice.memberId()));
        assertTrue(told.isEmpty());
        assertEquals(before.get("member") + 1, installation.counts().get("member"));
    }

    @Test
    void aWrongPinOrAnUnknownMemberChangesNothing() {
        JoinRequest alice = join("alice@enigm", "Alice A.");
        assertThrows(ForbiddenException.class, () -> closure.close(environment.id(), alice.memberId(), "000000"));
        assertThrows(ForbiddenException.class, () -> closure.close(environment.id(), alice.memberId(), null));
        Environment other = installation.environment("Other office");
        assertThrows(NotFoundException.class, () -> closure.close(other.id(), alice.memberId(), Installation.PIN));
        assertEquals(MemberState.ACTIVE, installation.members.get(environment.id(), alice.memberId()).state());
        assertEquals("Alice A.", column("SELECT display_name FROM member WHERE id = ?", alice.memberId()));
        assertTrue(told.isEmpty());
    }

    @Test
    void aKindThatFailsUndoesTheWholeClosure() {
        JoinRequest alice = join("alice@enigm", "Alice A.");
        closure.bindData(new MemberData() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public void erase(ClosedAccount account) {
                throw new IllegalStateException("disk full");
            }
        });
        assertThrows(IllegalStateException.class, () -> closure.close(environment.id(), alice.memberId(),
                Installation.PIN));
        assertEquals(MemberState.ACTIVE, installation.members.get(environment.id(), alice.memberId()).state());
        assertEquals("Alice A.", column("SELECT display_name FROM member WHERE id = ?", alice.memberId()));
    }

    private String column(String sql, String id) {
        return installation.database.read(handle -> handle.createQuery(sql.replace("?", ":id")).bind("id", id)
                .mapTo(String.class).findOne().orElse(null));
    }

    private static MemberData recording(String name, List<ClosedAccount> accounts) {
        return new MemberData() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void erase(ClosedAccount account) {
                accounts.add(account);
            }
        };
    }
}
