package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnrollmentTrust;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.membership.Device;
import io.enigm.server.membership.DeviceAddition;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MemberChanges;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.SessionChallenge;
import io.enigm.server.membership.SessionProof;
import io.enigm.server.membership.internal.Installation.DeviceKey;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventFilter;
import io.enigm.server.security.SecurityEventGroup;

class MembersAndDevicesTest {

    @TempDir
    Path directory;

    private Installation installation;
    private Environment environment;

    @BeforeEach
    void start() {
        installation = new Installation(directory);
        environment = installation.environment("Field office");
    }

    @AfterEach
    void close() {
        installation.close();
    }

    /** An approved member with one device, the device in {@code trust}. */
    private JoinRequest join(Installation in, Environment place, String account, DeviceKey key, DeviceTrust trust) {
        String id = in.joinRequests.submit(new JoinSubmission(place.serverId(), account, key.publicKey(), null, null))
                .join().id();
        JoinRequest approved = in.approve(place.id(), id);
        if (trust != DeviceTrust.PENDING) {
            if (in.devices.get(place.id(), approved.deviceId()).trust() == DeviceTrust.PENDING) {
                in.devices.setTrust(place.id(), approved.deviceId(), DeviceTrust.TRUSTED);
            }
            if (trust != DeviceTrust.TRUSTED) {
                if (trust == DeviceTrust.REPLACED) {
                    JoinRequest other = join(in, place, account, DeviceKey.generate(), DeviceTrust.PENDING);
                    in.devices.replace(place.id(), approved.deviceId(), other.deviceId());
                } else {
                    in.devices.setTrust(place.id(), approved.deviceId(), trust);
                }
            }
        }
        return approved;
    }

    @Test
    void everyMemberTransitionIsAllowedOrAConflict() {
        for (MemberState from : MemberState.values()) {
            for (MemberState to : MemberState.values()) {
                try (Installation fresh = new Installation(directory.resolve(from + "-" + to))) {
                    Environment place = fresh.environment("Members");
                    String member = join(fresh, place, "a@enigm", DeviceKey.generate(), DeviceTrust.TRUSTED).memberId();
                    if (from == MemberState.SUSPENDED) {
                        fresh.members.update(place.id(), member, new MemberChanges(null, MemberState.SUSPENDED));
                    } else if (from == MemberState.REMOVED) {
                        fresh.members.remove(place.id(), member);
                    }
                    boolean allowed = PersistentMembers.TRANSITIONS.get(from).contains(to);
                    Map<String, Long> before = fresh.counts();
                    Runnable move = () -> {
                        if (to == MemberState.REMOVED) {
                            fresh.members.remove(place.id(), member);
                        } else {
                            fresh.members.update(place.id(), member, new MemberChanges(null, to));
                        }
                    };
                    if (allowed) {
                        move.run();
                        assertEquals(to, fresh.members.get(place.id(), member).state());
                    } else {
                        ConflictException refused = assertThrows(ConflictException.class, move::run, from + " → " + to);
                        assertTrue(refused.getMessage().contains(from.name()), refused.getMessage());
                        assertEquals(from, fresh.members.get(place.id(), member).state());
                        assertEquals(before, fresh.counts());
                    }
                }
            }
        }
        assertEquals(Set.of(MemberState.SUSPENDED, MemberState.REMOVED), PersistentMembers.TRANSITIONS.get(MemberState.ACTIVE));
        assertEquals(Set.of(), PersistentMembers.TRANSITIONS.get(MemberState.REMOVED));
    }

    @Test
    void suspensionClosesSessionsButLeavesDeviceTrustAlone() {
        JoinRequest alice = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.TRUSTED);
        installation.openSession(environment.id(), alice.memberId(), alice.deviceId());
        installation.members.update(environment.id(), alice.memberId(), new MemberChanges(null, MemberState.SUSPENDED));
        assertEquals(0, installation.sessions.list(environment.id(), alice.memberId(), null, PageRequest.first(50))
                .items().size());
        assertEquals(DeviceTrust.TRUSTED, installation.devices.get(environment.id(), alice.deviceId()).trust());
        installation.members.update(environment.id(), alice.memberId(), new MemberChanges(null, MemberState.ACTIVE));
        assertEquals(DeviceTrust.TRUSTED, installation.devices.get(environment.id(), alice.deviceId()).trust());
    }

    @Test
    void removalClosesEverySessionAndRevokesEveryDeviceAtOnce() {
        DeviceKey phone = DeviceKey.generate();
        JoinRequest alice = join(installation, environment, "alice@enigm", phone, DeviceTrust.TRUSTED);
        JoinRequest laptop = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.PENDING);
        JoinRequest bob = join(installation, environment, "bob@enigm", DeviceKey.generate(), DeviceTrust.TRUSTED);
        installation.openSession(environment.id(), alice.memberId(), alice.deviceId());
        installation.openSession(environment.id(), alice.memberId(), laptop.deviceId());
        String bobs = installation.openSession(environment.id(), bob.memberId(), bob.deviceId());
        Member removed = installation.members.remove(environment.id(), alice.memberId());
        assertEquals(MemberState.REMOVED, removed.state());
        for (String device : List.of(alice.deviceId(), laptop.deviceId())) {
            assertEquals(DeviceTrust.REVOKED, installation.devices.get(environment.id(), device).trust());
        }
        assertEquals(List.of(bobs), installation.sessions.list(environment.id(), null, null, PageRequest.first(50))
                .items().stream().map(session -> session.id()).toList());
        assertEquals(DeviceTrust.TRUSTED, installation.devices.get(environment.id(), bob.deviceId()).trust());
        assertThrows(NotFoundException.class, () -> installation.sessions.challenge(environment.id(), alice.deviceId()));
        // A removed account may ask again and becomes a new member.
        JoinRequest again = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.PENDING);
        assertTrue(!again.memberId().equals(alice.memberId()));
    }

    /**
     * Device trust as DESIGN §3 draws it, written here rather than read from the code: {@code PENDING →
     * TRUSTED ↔ RESTRICTED → REVOKED}; a device in service (TRUSTED or RESTRICTED) may be RETIRED; an
     * administrator may revoke any device not yet out of service, a pending one included; REPLACED is
     * reached only by a replacement; REVOKED, REPLACED and RETIRED are final.
     */
    private static final Map<DeviceTrust, Set<DeviceTrust>> DESIGNED_TRUST_MOVES = Map.of(
            DeviceTrust.PENDING, EnumSet.of(DeviceTrust.TRUSTED, DeviceTrust.REVOKED),
            DeviceTrust.TRUSTED, EnumSet.of(DeviceTrust.RESTRICTED, DeviceTrust.REVOKED, DeviceTrust.RETIRED),
            DeviceTrust.RESTRICTED, EnumSet.of(DeviceTrust.TRUSTED, DeviceTrust.REVOKED, DeviceTrust.RETIRED),
            DeviceTrust.REVOKED, EnumSet.noneOf(DeviceTrust.class),
            DeviceTrust.REPLACED, EnumSet.noneOf(DeviceTrust.class),
            DeviceTrust.RETIRED, EnumSet.noneOf(DeviceTrust.class));

    @Test
    void everyDeviceTrustTransitionIsAllowedOrAConflict() {
        Set<DeviceTrust> settable = EnumSet.of(DeviceTrust.TRUSTED, DeviceTrust.RESTRICTED, DeviceTrust.REVOKED,
                DeviceTrust.RETIRED);
        for (DeviceTrust from : DeviceTrust.values()) {
            for (DeviceTrust to : DeviceTrust.values()) {
                try (Installation fresh = new Installation(directory.resolve(from + "-" + to))) {
                    Environment place = fresh.environment("Devices");
                    JoinRequest joined = join(fresh, place, "a@enigm", DeviceKey.generate(), from);
                    String session = fresh.openSession(place.id(), joined.memberId(), joined.deviceId());
                    Map<String, Long> before = fresh.counts();
                    if (!settable.contains(to)) {
                        assertThrows(InvalidRequestException.class, () -> fresh.devices.setTrust(place.id(), joined.deviceId(), to));
                    } else if (DESIGNED_TRUST_MOVES.get(from).contains(to)) {
                        assertEquals(to, fresh.devices.setTrust(place.id(), joined.deviceId(), to).trust());
                        boolean sessionOpen = !fresh.sessions.list(place.id(), null, joined.deviceId(), PageRequest.first(5))
                                .items().isEmpty();
                        assertEquals(!to.isFinal(), sessionOpen, from + " → " + to + " and the session " + session);
                        continue;
                    } else {
                        ConflictException refused = assertThrows(ConflictException.class,
                                () -> fresh.devices.setTrust(place.id(), joined.deviceId(), to), from + " → " + to);
                        assertTrue(refused.getMessage().contains(from.name()));
                    }
                    assertEquals(from, fresh.devices.get(place.id(), joined.deviceId()).trust());
                    assertEquals(before, fresh.counts());
                }
            }
        }
        // Device trust never moves the member (invariant 3).
        JoinRequest joined = join(installation, environment, "b@enigm", DeviceKey.generate(), DeviceTrust.REVOKED);
        assertEquals(MemberState.ACTIVE, installation.members.get(environment.id(), joined.memberId()).state());
    }

    @Test
    void aReplacementTakesOverTheOldDevicesPlace() {
        JoinRequest phone = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.RESTRICTED);
        JoinRequest newPhone = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.PENDING);
        JoinRequest bob = join(installation, environment, "bob@enigm", DeviceKey.generate(), DeviceTrust.PENDING);
        installation.openSession(environment.id(), phone.memberId(), phone.deviceId());
        assertThrows(InvalidRequestException.class,
                () -> installation.devices.replace(environment.id(), phone.deviceId(), bob.deviceId()));
        assertThrows(InvalidRequestException.class,
                () -> installation.devices.replace(environment.id(), phone.deviceId(), phone.deviceId()));
        assertThrows(ConflictException.class,
                () -> installation.devices.replace(environment.id(), newPhone.deviceId(), phone.deviceId()),
                "a PENDING device cannot become REPLACED");
        Device replaced = installation.devices.replace(environment.id(), phone.deviceId(), newPhone.deviceId());
        assertEquals(DeviceTrust.REPLACED, replaced.trust());
        assertEquals(newPhone.deviceId(), replaced.replacedBy());
        assertEquals(DeviceTrust.RESTRICTED, installation.devices.get(environment.id(), newPhone.deviceId()).trust());
        assertTrue(installation.sessions.list(environment.id(), null, phone.deviceId(), PageRequest.first(5)).items()
                .isEmpty());
        assertThrows(ConflictException.class, () -> installation.devices.remove(environment.id(), phone.deviceId()));
        Device removed = installation.devices.remove(environment.id(), newPhone.deviceId());
        assertEquals(DeviceTrust.REVOKED, removed.trust());
    }

    @Test
    void removingAMemberRevokesEachOfItsLiveDevicesAsASecurityEvent() {
        JoinRequest phone = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.TRUSTED);
        JoinRequest tablet = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.RETIRED);
        installation.members.remove(environment.id(), phone.memberId());
        List<String> revoked = installation.securityEventFeed.list(environment.id(), new SecurityEventFilter(null,
                SecurityEventCategory.DEVICE_REVOKED, null, null), PageRequest.first(50)).items().stream()
                .map(event -> event.subjectHandle()).toList();
        assertEquals(List.of(installation.devices.get(environment.id(), phone.deviceId()).handle()), revoked,
                "the live device, not the one retired already");
        assertEquals(DeviceTrust.RETIRED, installation.devices.get(environment.id(), tablet.deviceId()).trust());
    }

    @Test
    void everyLifecycleStepOfADeviceIsASecurityEventNamingItsKeyHandle() {
        JoinRequest phone = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.RESTRICTED);
        JoinRequest tablet = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.PENDING);
        installation.devices.replace(environment.id(), phone.deviceId(), tablet.deviceId());
        installation.devices.setTrust(environment.id(), tablet.deviceId(), DeviceTrust.TRUSTED);
        installation.devices.setTrust(environment.id(), tablet.deviceId(), DeviceTrust.RETIRED);
        JoinRequest laptop = join(installation, environment, "bob@enigm", DeviceKey.generate(), DeviceTrust.PENDING);
        installation.devices.remove(environment.id(), laptop.deviceId());

        String phoneKey = installation.devices.get(environment.id(), phone.deviceId()).handle();
        String tabletKey = installation.devices.get(environment.id(), tablet.deviceId()).handle();
        String laptopKey = installation.devices.get(environment.id(), laptop.deviceId()).handle();
        List<String> lifecycle = installation.securityEventFeed.list(environment.id(), new SecurityEventFilter(null,
                null, SecurityEventGroup.DEVICE_LIFECYCLE, null), PageRequest.first(50)).items().stream()
                .map(event -> event.category() + " " + event.risk() + " " + event.subjectHandle()).sorted().toList();
        // sorted: events of one millisecond have no order among them
        assertEquals(Stream.of("DEVICE_ENROLLED LOW " + phoneKey, "DEVICE_TRUSTED LOW " + phoneKey,
                "DEVICE_RESTRICTED MEDIUM " + phoneKey, "DEVICE_ENROLLED LOW " + tabletKey,
                "DEVICE_REPLACED LOW " + phoneKey, "DEVICE_TRUSTED LOW " + tabletKey,
                "DEVICE_RETIRED LOW " + tabletKey, "DEVICE_ENROLLED LOW " + laptopKey,
                "DEVICE_REVOKED MEDIUM " + laptopKey).sorted().toList(), lifecycle);
    }

    @Test
    void aTrustedDeviceAddsAnotherDeviceWithASignedSingleUseNonce() {
        installation.environments.update(environment.id(),
                new EnvironmentChanges(null, null, null, null, EnrollmentTrust.TRUSTED));
        DeviceKey phone = DeviceKey.generate();
        JoinRequest alice = join(installation, environment, "alice@enigm", phone, DeviceTrust.TRUSTED);
        DeviceKey laptop = DeviceKey.generate();
        SessionChallenge challenge = installation.sessions.challenge(environment.id(), alice.deviceId());
        assertEquals(installation.clock.instant().plusSeconds(60), challenge.expiresAt());
        DeviceAddition addition = addition(environment.id(), alice.deviceId(), phone, laptop.publicKey(), challenge.nonce());
        Device added = installation.devices.add(environment.id(), addition);
        assertEquals(alice.memberId(), added.memberId());
        assertEquals(DeviceTrust.TRUSTED, added.trust());
        Map<String, Long> before = installation.counts();
        // Replayed.
        assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), alice.deviceId(), phone, DeviceKey.generate().publicKey(), challenge.nonce())));
        // Forged: signed by a key that is not the signing device's.
        String fresh = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), alice.deviceId(), DeviceKey.generate(), DeviceKey.generate().publicKey(), fresh)));
        // Signed over another key than the one sent.
        DeviceAddition swapped = new DeviceAddition(DeviceKey.generate().publicKey(), alice.deviceId(), fresh,
                addition(environment.id(), alice.deviceId(), phone, laptop.publicKey(), fresh).signature());
        assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(), swapped));
        // Foreign: a nonce issued for another device.
        JoinRequest bob = join(installation, environment, "bob@enigm", DeviceKey.generate(), DeviceTrust.TRUSTED);
        String bobs = installation.sessions.challenge(environment.id(), bob.deviceId()).nonce();
        assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), alice.deviceId(), phone, DeviceKey.generate().publicKey(), bobs)));
        // Expired.
        String stale = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        installation.clock.advance(Duration.ofSeconds(60));
        assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), alice.deviceId(), phone, DeviceKey.generate().publicKey(), stale)));
        // Unknown signing device, and a key already enrolled.
        String last = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), "no-such-device", phone, DeviceKey.generate().publicKey(), last)));
        assertThrows(ConflictException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), alice.deviceId(), phone, laptop.publicKey(), last)));
        assertEquals(before.get("device") + 0, installation.count("device") - 1, "only bob's device was added");
    }

    @Test
    void onlyATrustedDeviceOfAnActiveMemberMayAddADevice() {
        DeviceKey phone = DeviceKey.generate();
        JoinRequest alice = join(installation, environment, "alice@enigm", phone, DeviceTrust.RESTRICTED);
        String nonce = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        assertThrows(ForbiddenException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), alice.deviceId(), phone, DeviceKey.generate().publicKey(), nonce)));
        installation.devices.setTrust(environment.id(), alice.deviceId(), DeviceTrust.TRUSTED);
        installation.members.update(environment.id(), alice.memberId(), new MemberChanges(null, MemberState.SUSPENDED));
        String again = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        assertThrows(ForbiddenException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), alice.deviceId(), phone, DeviceKey.generate().publicKey(), again)));
        assertEquals(1, installation.count("device"));
    }

    @Test
    void aDeviceIsAddedOnlyToTheSignersOwnMemberAndOnlyByItsTrustedDevice() {
        installation.environments.update(environment.id(),
                new EnvironmentChanges(null, null, null, null, EnrollmentTrust.TRUSTED));
        DeviceKey phone = DeviceKey.generate();
        JoinRequest alice = join(installation, environment, "alice@enigm", phone, DeviceTrust.TRUSTED);
        DeviceKey bobsKey = DeviceKey.generate();
        JoinRequest bob = join(installation, environment, "bob@enigm", bobsKey, DeviceTrust.TRUSTED);

        // Bob's trusted device vouches only for bob: nothing in the request names a member.
        String bobs = installation.sessions.challenge(environment.id(), bob.deviceId()).nonce();
        Device added = installation.devices.add(environment.id(),
                addition(environment.id(), bob.deviceId(), bobsKey, DeviceKey.generate().publicKey(), bobs));
        assertEquals(bob.memberId(), added.memberId());
        // Nor can bob's key sign in the name of alice's device.
        String alices = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), alice.deviceId(), bobsKey, DeviceKey.generate().publicKey(), alices)));

        // A second device of alice that a device administrator has not trusted yet cannot vouch.
        DeviceKey laptop = DeviceKey.generate();
        JoinRequest pendingLaptop = join(installation, environment, "alice@enigm", laptop, DeviceTrust.PENDING);
        assertEquals(DeviceTrust.PENDING, installation.devices.get(environment.id(), pendingLaptop.deviceId()).trust());
        String laptops = installation.sessions.challenge(environment.id(), pendingLaptop.deviceId()).nonce();
        assertThrows(ForbiddenException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), pendingLaptop.deviceId(), laptop, DeviceKey.generate().publicKey(), laptops)));

        // A revoked device cannot, with a nonce it got before, nor get a new one.
        String beforeRevocation = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        installation.devices.setTrust(environment.id(), alice.deviceId(), DeviceTrust.REVOKED);
        assertThrows(ForbiddenException.class, () -> installation.devices.add(environment.id(), addition(
                environment.id(), alice.deviceId(), phone, DeviceKey.generate().publicKey(), beforeRevocation)));
        assertThrows(NotFoundException.class, () -> installation.sessions.challenge(environment.id(), alice.deviceId()));

        // Another environment's trusted device is unknown here.
        Environment other = installation.environment("Elsewhere");
        DeviceKey outsidersKey = DeviceKey.generate();
        JoinRequest outsider = join(installation, other, "alice@enigm", outsidersKey, DeviceTrust.TRUSTED);
        String outsiders = installation.sessions.challenge(other.id(), outsider.deviceId()).nonce();
        assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(),
                addition(environment.id(), outsider.deviceId(), outsidersKey, DeviceKey.generate().publicKey(),
                        outsiders)));
        assertEquals(2, installation.devices.list(environment.id(), alice.memberId(), PageRequest.first(50))
                .items().size(), "alice has her revoked phone and the pending laptop, nothing more");
    }

    @Test
    void publicRoutesAnswerAlikeForAnUnknownEnvironmentAnUnknownDeviceAndAnotherEnvironmentsDevice() {
        DeviceKey phone = DeviceKey.generate();
        JoinRequest alice = join(installation, environment, "alice@enigm", phone, DeviceTrust.TRUSTED);
        Environment other = installation.environment("Elsewhere");
        Set<String> challengeAnswers = new HashSet<>();
        for (String[] ids : new String[][] {{"no-such-environment", alice.deviceId()},
                {environment.id(), "no-such-device"}, {other.id(), alice.deviceId()}}) {
            challengeAnswers.add(assertThrows(NotFoundException.class,
                    () -> installation.sessions.challenge(ids[0], ids[1])).getMessage());
        }
        assertEquals(Set.of("device not found"), challengeAnswers);

        String nonce = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        Set<String> additionAnswers = new HashSet<>();
        for (String place : List.of("no-such-environment", other.id())) {
            additionAnswers.add(assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(place,
                    addition(place, alice.deviceId(), phone, DeviceKey.generate().publicKey(), nonce))).getMessage());
        }
        additionAnswers.add(assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(
                environment.id(), addition(environment.id(), "no-such-device", phone, DeviceKey.generate().publicKey(),
                        nonce))).getMessage());
        assertEquals(1, additionAnswers.size(), additionAnswers.toString());

        // Opening a session: an unknown environment is refused like a nonce this device never got.
        Set<String> sessionAnswers = new HashSet<>();
        for (String place : List.of("no-such-environment", environment.id())) {
            String signature = phone.sign("enigm-session-v1\n" + place + "\n" + alice.deviceId() + "\n" + nonce);
            sessionAnswers.add(assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions
                    .open(place, new SessionProof(alice.deviceId(), "never-issued-" + place, signature, Map.of())))
                    .getMessage());
        }
        assertEquals(1, sessionAnswers.size(), sessionAnswers.toString());
    }

    @Test
    void addingADeviceIsDecidedByThePolicyForTheSigningDevice() {
        installation.environments.update(environment.id(),
                new EnvironmentChanges(null, null, null, null, EnrollmentTrust.TRUSTED));
        DeviceKey phone = DeviceKey.generate();
        JoinRequest alice = join(installation, environment, "alice@enigm", phone, DeviceTrust.TRUSTED);
        installation.members.update(environment.id(), alice.memberId(), new MemberChanges("LEAD", null));
        for (DecisionOutcome outcome : List.of(DecisionOutcome.DENY, DecisionOutcome.STEP_UP)) {
            installation.policy.next = new Decision(outcome, Set.of(DecisionCategory.HARDWARE_KEY), Set.of(), 4);
            String nonce = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
            Map<String, Long> before = installation.counts();
            DeviceAddition addition = addition(environment.id(), alice.deviceId(), phone,
                    DeviceKey.generate().publicKey(), nonce);
            AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                    () -> installation.devices.add(environment.id(), addition));
            assertEquals(List.of("HARDWARE_KEY"), refused.categories());
            assertEquals(outcome == DecisionOutcome.STEP_UP, refused.stepUp());
            assertEquals(before.get("device"), installation.count("device"), "nothing was enrolled");
            assertEquals(before.get("audit_record") + 1, installation.count("audit_record"));
            assertEquals(before.get("security_event") + 1, installation.count("security_event"));
            assertThrows(AuthenticationFailedException.class, () -> installation.devices.add(environment.id(),
                    addition), "the nonce was used up by the refused request");
        }
        AccessRequest asked = installation.policy.asked.get(installation.policy.asked.size() - 1);
        assertEquals(AccessAction.ADD_DEVICE, asked.action());
        assertEquals(environment.id(), asked.environmentId());
        assertEquals(alice.memberId(), asked.memberId());
        assertEquals(alice.deviceId(), asked.deviceId());
        assertEquals("LEAD", asked.memberRole());
        assertTrue(asked.memberActive() && asked.deviceTrusted());
        assertEquals(installation.clock.instant(), asked.sessionAuthenticatedAt(), "the signature was just made");
        assertNull(asked.resourceCategory());

        // An engine that fails denies, failing closed.
        installation.policy.next = null;
        String nonce = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        assertEquals(List.of("ATTESTATION_UNAVAILABLE"), assertThrows(AccessDeniedException.class,
                () -> installation.devices.add(environment.id(), addition(environment.id(), alice.deviceId(), phone,
                        DeviceKey.generate().publicKey(), nonce))).categories());

        installation.policy.next = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(), 4);
        String allowed = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        assertEquals(alice.memberId(), installation.devices.add(environment.id(), addition(environment.id(),
                alice.deviceId(), phone, DeviceKey.generate().publicKey(), allowed)).memberId());
        assertEquals(2, installation.count("device"));
    }

    @Test
    void listsArePagedByKeysetAndFiltered() {
        List<String> memberIds = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            installation.clock.advance(Duration.ofMillis(i % 2));
            memberIds.add(join(installation, environment, "user" + i + "@enigm", DeviceKey.generate(),
                    DeviceTrust.PENDING).memberId());
        }
        installation.members.update(environment.id(), memberIds.get(3), new MemberChanges("OBSERVER", MemberState.SUSPENDED));
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Member> page = installation.members.list(environment.id(), null, null, new PageRequest(cursor, 3));
            page.items().forEach(member -> assertTrue(seen.add(member.id())));
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertEquals(new HashSet<>(memberIds), seen);
        assertEquals(3, pages);
        assertEquals(List.of(memberIds.get(3)), installation.members.list(environment.id(), MemberState.SUSPENDED, null,
                PageRequest.first(50)).items().stream().map(Member::id).toList());
        assertEquals(6, installation.members.list(environment.id(), null, Member.DEFAULT_ROLE, PageRequest.first(50))
                .items().size());
        assertThrows(InvalidRequestException.class, () -> installation.members.list(environment.id(), null, null,
                new PageRequest("not-a-cursor", 3)));
        assertThrows(InvalidRequestException.class, () -> installation.members.update(environment.id(),
                memberIds.get(0), new MemberChanges("lower case", null)));
        assertEquals(1, installation.devices.list(environment.id(), memberIds.get(0), PageRequest.first(50)).items().size());
        assertEquals(7, installation.devices.list(environment.id(), null, PageRequest.first(50)).items().size());
    }

    @Test
    void sessionsAreClosedOneByOne() {
        JoinRequest alice = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.TRUSTED);
        String first = installation.openSession(environment.id(), alice.memberId(), alice.deviceId());
        String second = installation.openSession(environment.id(), alice.memberId(), alice.deviceId());
        assertNotNull(installation.sessions.close(environment.id(), first).closedAt());
        assertThrows(ConflictException.class, () -> installation.sessions.close(environment.id(), first));
        assertEquals(List.of(second), installation.sessions.list(environment.id(), alice.memberId(), alice.deviceId(),
                PageRequest.first(50)).items().stream().map(session -> session.id()).toList());
        Environment other = installation.environment("Elsewhere");
        assertThrows(NotFoundException.class, () -> installation.sessions.close(other.id(), second));
        assertNull(installation.sessions.list(environment.id(), null, null, PageRequest.first(50)).next());
    }

    @Test
    void anotherEnvironmentsIdsAreUnknownHere() {
        JoinRequest alice = join(installation, environment, "alice@enigm", DeviceKey.generate(), DeviceTrust.TRUSTED);
        Environment other = installation.environment("Elsewhere");
        Map<String, Long> before = installation.counts();
        assertThrows(NotFoundException.class, () -> installation.members.get(other.id(), alice.memberId()));
        assertThrows(NotFoundException.class, () -> installation.members.remove(other.id(), alice.memberId()));
        assertThrows(NotFoundException.class, () -> installation.devices.get(other.id(), alice.deviceId()));
        assertThrows(NotFoundException.class,
                () -> installation.devices.setTrust(other.id(), alice.deviceId(), DeviceTrust.REVOKED));
        assertThrows(NotFoundException.class, () -> installation.joinRequests.approve(other.id(), alice.id(),
                alice.deviceFingerprint()));
        assertThrows(NotFoundException.class, () -> installation.sessions.challenge(other.id(), alice.deviceId()));
        assertThrows(NotFoundException.class, () -> installation.members.get("no-such-environment", alice.memberId()));
        assertEquals(before, installation.counts());
    }

    static DeviceAddition addition(String environmentId, String signingDeviceId, DeviceKey signer, String newKey,
            String nonce) {
        String message = "enigm-device-add-v1\n" + environmentId + "\n" + signingDeviceId + "\n" + newKey + "\n" + nonce;
        return new DeviceAddition(newKey, signingDeviceId, nonce, signer.sign(message));
    }
}
