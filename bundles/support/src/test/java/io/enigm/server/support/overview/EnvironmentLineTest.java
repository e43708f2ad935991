package io.enigm.server.support.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.content.ContentAdministration;
import io.enigm.server.content.ContentStatistics;
import io.enigm.server.environment.EnrollmentTrust;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.environment.VisibilityRules;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.MembershipCount;
import io.enigm.server.membership.MembershipCounts;
import io.enigm.server.policy.Policies;
import io.enigm.server.policy.PolicyVersion;

class EnvironmentLineTest {

    @Test
    void anEnvironmentsLineCountsActiveAndAllMembersTrustedAndAllDevicesAndItsContent() {
        MembershipCounts membership = id -> new MembershipCount(id, Map.of(MemberState.ACTIVE, 3L,
                MemberState.SUSPENDED, 1L, MemberState.REMOVED, 2L), Map.of(DeviceTrust.TRUSTED, 4L,
                DeviceTrust.PENDING, 1L));

        EnvironmentLine line = EnvironmentLine.of(environment(EnvironmentState.ACTIVE, true), membership,
                content(7), policies(5));

        assertEquals(new EnvironmentLine("env1", "Field office", "ACTIVE", "eu-west", 3L, 6L, 4L, 5L, 7L, true, 5L),
                line);
    }

    @Test
    void whatADeletedEnvironmentNoLongerHasIsShownAsNothingRatherThanFailingThePage() {
        MembershipCounts gone = id -> {
            throw new NotFoundException("environment");
        };

        EnvironmentLine line = EnvironmentLine.of(environment(EnvironmentState.DELETED, false), gone, content(-1),
                policies(-1));

        assertEquals(new EnvironmentLine("env1", "Field office", "DELETED", "eu-west", null, null, null, null, null,
                false, null), line);
    }

    private static Environment environment(EnvironmentState state, boolean held) {
        return new Environment("env1", "Field office", "server-id", "eu-west", state, Instant.EPOCH,
                VisibilityRules.PRIVATE, 30, EnrollmentTrust.values()[0], held, null, Set.of());
    }

    /** Content statistics of {@code objects} objects; negative: the environment is gone. */
    private static ContentAdministration content(long objects) {
        return new ContentAdministration() {
            @Override
            public ContentStatistics statistics(String environmentId) {
                if (objects < 0) {
                    throw new NotFoundException("environment");
                }
                return new ContentStatistics(environmentId, new ContentStatistics.Usage(objects, objects * 10, null,
                        null), List.of());
            }

            @Override
            public void delete(String environmentId, String objectId) {
                throw new UnsupportedOperationException("the console deletes nothing");
            }
        };
    }

    /** A policy in force at {@code version}; negative: the environment is gone. */
    private static Policies policies(long version) {
        return new Policies() {
            @Override
            public PolicyVersion current(String environmentId) {
                if (version < 0) {
                    throw new NotFoundException("environment");
                }
                return new PolicyVersion(environmentId, version, "{}", "author", Instant.EPOCH);
            }

            @Override
            public PolicyVersion put(String environmentId, String document, String author) {
                throw new UnsupportedOperationException("the console changes no policy");
            }

            @Override
            public Page<PolicyVersion> versions(String environmentId, PageRequest page) {
                throw new UnsupportedOperationException("the console lists no versions");
            }
        };
    }
}
