package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.environment.Environment;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.store.BatchDeletes;
import io.enigm.server.store.internal.TestComponents;
import io.enigm.server.store.internal.TestDatabases;

/** Each membership record class leaves after its retention, live records and held environments stay. */
class RetentionSweeperTest {

    @TempDir
    Path directory;

    private Installation installation;
    private BatchDeletes deletes;
    private RetentionSweeper sweeper;

    @BeforeEach
    void open() {
        installation = new Installation(directory);
        deletes = TestDatabases.batchDeletes(installation.database);
        sweeper = new RetentionSweeper(installation.database, deletes, installation.audit, installation.clock,
                TestComponents.configuration(RetentionConfiguration.class, Map.of()));
    }

    @AfterEach
    void close() {
        installation.close();
    }

    /** One of each record class in a fresh environment: a decided request and its member's ended session, a pending request, an open session, a security event. */
    private Environment populated(String name) {
        Environment environment = installation.environment(name);
        JoinRequest approved = submit(environment, name + "-alice");
        JoinRequest member = installation.approve(environment.id(), approved.id());
        String ended = installation.openSession(environment.id(), member.memberId(), member.deviceId());
        installation.database.inTransaction(handle -> handle.createUpdate(
                "UPDATE session SET closed_at = :now WHERE id = :id")
                .bind("now", installation.clock.millis()).bind("id", ended).execute());
        installation.database.inTransaction(handle -> {
            installation.securityEvents.record(environment.id(), SecurityEventCategory.SESSION_SIGNATURE_FORGED, null);
            return null;
        });
        return environment;
    }

    private JoinRequest submit(Environment environment, String account) {
        String id = installation.joinRequests.submit(new JoinSubmission(environment.serverId(), account,
                Installation.DeviceKey.generate().publicKey(), null, null)).join().id();
        return installation.joinRequests.get(environment.id(), id);
    }

    private long rows(String table, String environmentId) {
        return installation.database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table
                + " WHERE environment_id = :env").bind("env", environmentId).mapTo(Long.class).one());
    }

    private List<String> retentionAudit(String environmentId) {
        return installation.database.read(handle -> handle.createQuery("SELECT action FROM audit_record"
                + " WHERE environment_id = :env AND action LIKE 'retention.%' ORDER BY sequence")
                .bind("env", environmentId).mapTo(String.class).list());
    }

    @Test
    void eachClassLeavesAfterItsRetentionAndLiveRecordsStay() {
        Environment environment = populated("kept");
        installation.clock.advance(Duration.ofDays(29));
        JoinRequest pending = submit(environment, "later-bob");
        JoinRequest member = installation.approve(environment.id(), submit(environment, "carol").id());
        installation.openSession(environment.id(), member.memberId(), member.deviceId());
        assertEquals(0, sweeper.sweep(), "nothing is past its retention yet");
        long events = rows("security_event", environment.id());

        installation.clock.advance(Duration.ofDays(2));
        // Past 30 days: the first member's ended session and decided request go; the open session
        // (expired 10 minutes after it opened, 2 days ago) stays until its own 30 days have passed.
        assertEquals(2, sweeper.sweep());
        assertEquals(2, rows("join_request", environment.id()), "carol's decided request and bob's pending one");
        assertEquals(1, rows("session", environment.id()));
        assertEquals(events, rows("security_event", environment.id()), "events stay for a year");
        assertEquals(List.of("retention.session.delete", "retention.join-request.delete"),
                retentionAudit(environment.id()));
        assertEquals(pending.id(), installation.joinRequests.get(environment.id(), pending.id()).id());

        installation.clock.advance(Duration.ofDays(365));
        sweeper.sweep();
        assertEquals(0, rows("security_event", environment.id()));
        assertEquals(0, rows("session", environment.id()));
        assertEquals(0, rows("join_request", environment.id()), "bob's request expired long ago");
        assertEquals(2, installation.count("member"), "members are live state, not swept");
    }

    @Test
    void anEnvironmentsLegalHoldKeepsEverythingUntilItIsLiftedOrEnds() {
        Environment held = populated("held");
        long events = rows("security_event", held.id());
        installation.pin.set(Installation.PIN, null);
        installation.holds.place(held.id(), null, "Case 7", null, Installation.PIN);
        installation.clock.advance(Duration.ofDays(400));
        assertEquals(0, sweeper.sweep());
        assertEquals(1, rows("session", held.id()));
        assertEquals(1, rows("join_request", held.id()));
        assertEquals(events, rows("security_event", held.id()));
        assertEquals(List.of(), retentionAudit(held.id()));

        installation.holds.lift(held.id(), null, Installation.PIN);
        installation.holds.place(held.id(), null, "Case 7, one more day",
                installation.clock.instant().plus(Duration.ofDays(1)), Installation.PIN);
        assertEquals(0, sweeper.sweep());
        installation.clock.advance(Duration.ofDays(1));
        assertEquals(2 + events, sweeper.sweep(), "a hold whose end has come keeps nothing");
    }

    @Test
    void aMembersLegalHoldKeepsThatMembersRecordsAndTheEnvironmentsEventsOnly() {
        Environment environment = populated("mixed");
        String held = installation.database.read(handle -> handle.createQuery(
                "SELECT member_id FROM session WHERE environment_id = :env").bind("env", environment.id())
                .mapTo(String.class).one());
        JoinRequest other = installation.approve(environment.id(), submit(environment, "mixed-dave").id());
        String ended = installation.openSession(environment.id(), other.memberId(), other.deviceId());
        installation.database.inTransaction(handle -> handle.createUpdate(
                "UPDATE session SET closed_at = :now WHERE id = :id")
                .bind("now", installation.clock.millis()).bind("id", ended).execute());
        installation.pin.set(Installation.PIN, null);
        installation.holds.place(environment.id(), held, "Alice's dispute", null, Installation.PIN);
        long events = rows("security_event", environment.id());
        installation.clock.advance(Duration.ofDays(400));

        assertEquals(2, sweeper.sweep(), "Dave's ended session and decided request");
        assertEquals(List.of(held), installation.database.read(handle -> handle.createQuery(
                "SELECT member_id FROM session WHERE environment_id = :env").bind("env", environment.id())
                .mapTo(String.class).list()));
        assertEquals(List.of(held), installation.database.read(handle -> handle.createQuery(
                "SELECT member_id FROM join_request WHERE environment_id = :env").bind("env", environment.id())
                .mapTo(String.class).list()));
        assertEquals(events, rows("security_event", environment.id()), "events name no member, so any hold keeps them");
    }

    @Test
    void aLongBacklogGoesInBatches() {
        Environment environment = installation.environment("busy");
        int backlog = 2 * RetentionSweeper.BATCH + 7;
        installation.database.inTransaction(handle -> {
            for (int i = 0; i < backlog; i++) {
                installation.securityEvents.record(environment.id(), SecurityEventCategory.SESSION_NONCE_EXPIRED, null);
            }
            return null;
        });
        installation.clock.advance(Duration.ofDays(366));
        assertEquals(backlog, sweeper.sweep());
        assertEquals(0, rows("security_event", environment.id()));
        assertEquals(List.of("retention.security-event.delete", "retention.security-event.delete",
                "retention.security-event.delete"), retentionAudit(environment.id()), "one record per batch");
    }

    @Test
    void retentionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new RetentionSweeper(installation.database,
                deletes, installation.audit, installation.clock, TestComponents.configuration(RetentionConfiguration.class,
                        Map.of("sessionRetentionDays", 0))));
        assertThrows(IllegalArgumentException.class, () -> new RetentionSweeper(installation.database,
                deletes, installation.audit, installation.clock, TestComponents.configuration(RetentionConfiguration.class,
                        Map.of("securityEventRetentionDays", 4000))));
    }
}
