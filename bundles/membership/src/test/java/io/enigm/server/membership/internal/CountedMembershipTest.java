package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.NotFoundException;
import io.enigm.server.environment.Environment;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.membership.MemberChanges;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.MembershipCount;
import io.enigm.server.membership.internal.Installation.DeviceKey;

class CountedMembershipTest {

    @TempDir
    Path directory;

    @Test
    void countsAnEnvironmentsMembersByStateAndDevicesByTrustAndNothingOfAnother() {
        try (Installation installation = new Installation(directory)) {
            Environment counted = installation.environment("Counted");
            Environment other = installation.environment("Other");
            JoinRequest alice = join(installation, counted, "alice");
            installation.devices.setTrust(counted.id(), alice.deviceId(), DeviceTrust.TRUSTED);
            join(installation, counted, "bob");
            JoinRequest carol = join(installation, counted, "carol");
            installation.members.update(counted.id(), carol.memberId(), new MemberChanges(null, MemberState.SUSPENDED));
            join(installation, other, "dave");
            CountedMembership counts = new CountedMembership(installation.database, installation.environments);

            MembershipCount count = counts.count(counted.id());

            assertEquals(Map.of(MemberState.ACTIVE, 2L, MemberState.SUSPENDED, 1L), count.membersByState(), "members");
            assertEquals(3, count.members());
            assertEquals(3, count.devices(), "one device each: " + count.devicesByTrust());
            assertEquals(1L, count.devicesByTrust().get(DeviceTrust.TRUSTED), "alice's device");
            assertEquals(1, counts.count(other.id()).members(), "the other environment's own");
            assertThrows(NotFoundException.class, () -> counts.count("no-such-environment"));
        }
    }

    private static JoinRequest join(Installation installation, Environment environment, String account) {
        String id = installation.joinRequests.submit(new JoinSubmission(environment.serverId(), account,
                DeviceKey.generate().publicKey(), null, null)).join().id();
        return installation.approve(environment.id(), id);
    }
}
