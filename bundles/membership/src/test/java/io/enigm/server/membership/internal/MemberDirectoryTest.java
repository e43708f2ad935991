package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.environment.VisibilityRules;
import io.enigm.server.membership.DirectoryEntry;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.membership.MemberChanges;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.SessionPrincipal;

/** The directory a member's device sees, under each combination of the environment's visibility rules. */
class MemberDirectoryTest {

    @TempDir
    Path directory;

    private Installation installation;
    private VisibleMemberDirectory members;
    private Environment environment;
    private SessionPrincipal alice;
    private String bob;
    private String carol;

    @BeforeEach
    void open() {
        installation = new Installation(directory);
        members = new VisibleMemberDirectory(installation.database, installation.environments);
        environment = installation.environment("directory");
        JoinRequest joined = join(environment, "alice", "Alice");
        alice = new SessionPrincipal(environment.id(), joined.memberId(), joined.deviceId(), "session",
                Instant.now().plusSeconds(600));
        bob = join(environment, "bob", "Bob").memberId();
        carol = join(environment, "carol", null).memberId();
        String dave = join(environment, "dave", "Dave").memberId();
        installation.members.update(environment.id(), dave, new MemberChanges(null, MemberState.SUSPENDED));
    }

    @AfterEach
    void close() {
        installation.close();
    }

    private JoinRequest join(Environment in, String account, String displayName) {
        String id = installation.joinRequests.submit(new JoinSubmission(in.serverId(), account,
                Installation.DeviceKey.generate().publicKey(), displayName, null)).join().id();
        return installation.approve(in.id(), id);
    }

    private void rules(boolean memberDirectory, boolean displayNames) {
        installation.environments.update(environment.id(), new EnvironmentChanges(null, null,
                new VisibilityRules(memberDirectory, displayNames), null, null));
    }

    private List<DirectoryEntry> list(SessionPrincipal caller) {
        return members.list(caller, environment.id(), PageRequest.first(50)).items();
    }

    @Test
    void aClosedDirectoryIsRefusedWhateverTheDisplayNameRule() {
        for (boolean displayNames : new boolean[] {false, true}) {
            rules(false, displayNames);
            assertThrows(ForbiddenException.class, () -> list(alice));
        }
    }

    @Test
    void anOpenDirectoryListsTheOtherActiveMembersWithNamesOnlyWhereTheRulesShowThem() {
        rules(true, false);
        assertEquals(List.of(new DirectoryEntry(bob, null), new DirectoryEntry(carol, null)), list(alice),
                "ids only; not the caller, not a suspended member");
        rules(true, true);
        assertEquals(List.of(new DirectoryEntry(bob, "Bob"), new DirectoryEntry(carol, null)), list(alice),
                "a member who chose no name has none");
    }

    @Test
    void theDirectoryPagesInOrderOfJoining() {
        rules(true, true);
        Page<DirectoryEntry> first = members.list(alice, environment.id(), PageRequest.first(1));
        List<String> seen = new ArrayList<>(List.of(first.items().get(0).memberId()));
        seen.add(members.list(alice, environment.id(), new PageRequest(first.next(), 1)).items().get(0).memberId());
        assertEquals(List.of(bob, carol), seen);
    }

    @Test
    void onlyTheCallersOwnEnvironmentIsListed() {
        Environment other = installation.environment("other");
        installation.environments.update(other.id(), new EnvironmentChanges(null, null,
                new VisibilityRules(true, true), null, null));
        join(other, "erin", "Erin");
        assertThrows(NotFoundException.class, () -> members.list(alice, other.id(), PageRequest.first(10)));
    }
}
