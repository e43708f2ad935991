package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.PageRequest;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.environment.EnrollmentTrust;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.JoinReceipt;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinRequestState;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.MintedInvite;
import io.enigm.server.membership.internal.Installation.DeviceKey;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventFilter;

class JoinRequestsTest {

    @TempDir
    Path directory;

    private Installation installation;
    private Environment environment;

    @BeforeEach
    void start() {
        installation = new Installation(directory, 3, Duration.ZERO);
        environment = installation.environment("Field office");
    }

    @AfterEach
    void close() {
        installation.close();
    }

    private JoinReceipt submit(String account, DeviceKey key) {
        return installation.joinRequests.submit(new JoinSubmission(environment.serverId(), account, key.publicKey(),
                "Alice", null)).join();
    }

    private JoinReceipt submit(String account, DeviceKey key, String displayName, String inviteCode) {
        return installation.joinRequests.submit(new JoinSubmission(environment.serverId(), account, key.publicKey(),
                displayName, inviteCode)).join();
    }

    private List<JoinRequest> pending() {
        return installation.joinRequests.list(environment.id(), JoinRequestState.PENDING, PageRequest.first(50))
                .items();
    }

    @Test
    void aPendingRequestShowsTheAdministratorTheCodeAndFingerprintTheRequesterSaw() {
        DeviceKey key = DeviceKey.generate();
        JoinReceipt receipt = submit("alice@enigm", key);
        assertEquals(JoinRequestState.PENDING, receipt.state());
        assertTrue(receipt.verificationCode().matches("[0-9]{5}-[0-9]{5}"), receipt.verificationCode());
        assertTrue(receipt.deviceFingerprint().matches("[0-9a-f]{4}(-[0-9a-f]{4}){3}"));
        JoinRequest seen = pending().get(0);
        assertEquals(receipt.id(), seen.id());
        assertEquals(receipt.verificationCode(), seen.verificationCode());
        assertEquals(receipt.deviceFingerprint(), seen.deviceFingerprint());
        assertEquals("Alice", seen.displayName());
        assertNull(seen.existingMemberId(), "a new account");
    }

    @Test
    void aCodeIsTenDigitsOfTheUnsignedBitsZeroPaddedInTwoGroups() {
        assertEquals("00000-00000", DeviceKeys.codeText(0));
        assertEquals("00000-00042", DeviceKeys.codeText(42));
        assertEquals("00000-00000", DeviceKeys.codeText(10_000_000_000L));
        assertEquals("37095-51615", DeviceKeys.codeText(-1), "2^64 - 1, read unsigned");
    }

    @Test
    void theVerificationCodeIsDerivedUnderTheEnvironmentsSecretSoNoKeyCanBeGroundForIt() throws Exception {
        DeviceKey key = DeviceKey.generate();
        JoinReceipt receipt = submit("alice@enigm", key);
        // What the requester holds (its key and the id) does not give the code: the code is keyed by
        // the key's handle, an HMAC under the environment's secret key that never leaves the server.
        javax.crypto.Mac byKeyAndId = javax.crypto.Mac.getInstance("HmacSHA256");
        byKeyAndId.init(new javax.crypto.spec.SecretKeySpec(receipt.id().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        long requesterComputable = java.nio.ByteBuffer.wrap(byKeyAndId.doFinal(key.pair().getPublic().getEncoded()))
                .getLong();
        assertNotEquals(DeviceKeys.codeText(requesterComputable), receipt.verificationCode());
        String keyHandle = installation.database.read(handle -> handle.createQuery(
                "SELECT key_handle FROM join_request WHERE id = :id").bind("id", receipt.id()).mapTo(String.class).one());
        assertEquals(DeviceKeys.verificationCode(keyHandle, receipt.id()), receipt.verificationCode());
        // The same key in another environment has another handle, so another code for any id.
        Environment other = installation.environment("Elsewhere");
        JoinReceipt elsewhere = installation.joinRequests.submit(new JoinSubmission(other.serverId(), "alice@enigm",
                key.publicKey(), null, null)).join();
        assertNotEquals(receipt.deviceFingerprint(), elsewhere.deviceFingerprint());
        assertNotEquals(DeviceKeys.verificationCode(keyHandle, elsewhere.id()), elsewhere.verificationCode());
    }

    @Test
    void anUnknownServerIdGetsTheSameAnswerAndCreatesNothing() {
        Map<String, Long> before = installation.counts();
        DeviceKey key = DeviceKey.generate();
        JoinReceipt unknown = installation.joinRequests.submit(new JoinSubmission("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH",
                "alice@enigm", key.publicKey(), "Alice", "ABCDE-FGHIJ-KLMNO-PQRST")).join();
        assertEquals(JoinRequestState.PENDING, unknown.state());
        assertTrue(unknown.id().matches("[A-Za-z0-9_-]{22}"));
        assertTrue(unknown.verificationCode().matches("[0-9]{5}-[0-9]{5}"));
        assertTrue(unknown.deviceFingerprint().matches("[0-9a-f]{4}(-[0-9a-f]{4}){3}"));
        assertEquals(before, installation.counts());
        JoinReceipt real = submit("alice@enigm", key);
        assertEquals(real.id().length(), unknown.id().length());
        assertNotEquals(real.id(), unknown.id());
    }

    @Test
    void anEnvironmentThatIsNotActiveIsTreatedLikeAnUnknownOne() {
        installation.environments.apply(environment.id(), LifecycleAction.SUSPEND, null);
        Map<String, Long> before = installation.counts();
        JoinReceipt receipt = submit("alice@enigm", DeviceKey.generate());
        assertEquals(JoinRequestState.PENDING, receipt.state());
        assertEquals(before, installation.counts());
    }

    @Test
    void bothAnswersWaitForTheSameFloor() throws Exception {
        try (Installation slow = new Installation(directory.resolve("slow"), 3, Duration.ofMillis(80))) {
            Environment other = slow.environment("Timed");
            DeviceKey key = DeviceKey.generate();
            for (String serverId : List.of(other.serverId(), "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")) {
                long started = System.nanoTime();
                slow.joinRequests.submit(new JoinSubmission(serverId, "bob@enigm", key.publicKey(), null, null)).join();
                assertTrue(System.nanoTime() - started >= Duration.ofMillis(80).toNanos(), serverId);
            }
        }
    }

    @Test
    void aConfigurationOutOfRangeKeepsTheComponentFromStarting() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("joinRequestTtlHours", 0),
                Map.of("maxPendingJoinRequests", 0), Map.of("joinAnswerFloorMillis", -1),
                Map.of("inviteTtlHours", 800), Map.of("maxInviteTtlHours", 0))) {
            assertThrows(IllegalArgumentException.class, () -> Configured.of(configuration(bad)), bad.toString());
        }
        Configured defaults = Configured.of(configuration(Map.of()));
        assertEquals(Duration.ofHours(72), defaults.joinRequestTtl());
        // A floor by default: the durable commit of a real request (a few milliseconds) hides under it.
        assertEquals(Duration.ofMillis(25), defaults.joinAnswerFloor());
        assertEquals(Duration.ofHours(168), defaults.inviteTtl());
    }

    /** The metatype defaults with some attributes overridden, as ConfigAdmin would hand them over. */
    private static MembershipConfiguration configuration(Map<String, Object> overrides) {
        return (MembershipConfiguration) java.lang.reflect.Proxy.newProxyInstance(
                MembershipConfiguration.class.getClassLoader(), new Class<?>[] {MembershipConfiguration.class},
                (proxy, method, args) -> method.getName().equals("annotationType") ? MembershipConfiguration.class
                        : overrides.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void aSecondRequestOfOneAccountWithAnotherKeyIsASeparateRequestAndLeavesTheFirstAsItWas() {
        DeviceKey alices = DeviceKey.generate();
        JoinReceipt first = submit("alice@enigm", alices);
        JoinRequest checked = installation.joinRequests.get(environment.id(), first.id());
        DeviceKey mallorys = DeviceKey.generate();
        JoinReceipt second = submit("alice@enigm", mallorys, "Alice (new phone)", null);

        assertNotEquals(first.id(), second.id(), "another key is another request");
        assertEquals(checked, installation.joinRequests.get(environment.id(), first.id()),
                "the first request's key, name, code and fingerprint are unchanged");
        assertNotEquals(first.deviceFingerprint(), second.deviceFingerprint());
        assertEquals(List.of(first.id(), second.id()), pending().stream().map(JoinRequest::id).toList());
        // Each request is followed only by its own device.
        var now = installation.clock.instant();
        assertThrows(AuthenticationFailedException.class,
                () -> installation.joinRequests.follow(first.id(), mallorys.joinHeader(first.id(), "GET", now)));
        assertThrows(AuthenticationFailedException.class,
                () -> installation.joinRequests.cancel(first.id(), mallorys.joinHeader(first.id(), "DELETE", now)));
        assertEquals(JoinRequestState.PENDING,
                installation.joinRequests.follow(first.id(), alices.joinHeader(first.id(), "GET", now)).state());
    }

    @Test
    void theSameAccountAndKeyAgainIsARetryThatChangesNothing() {
        DeviceKey key = DeviceKey.generate();
        JoinReceipt first = submit("alice@enigm", key);
        JoinRequest checked = installation.joinRequests.get(environment.id(), first.id());
        JoinReceipt retry = submit("alice@enigm", key, "Someone else", null);
        assertEquals(first, retry);
        assertEquals(checked, installation.joinRequests.get(environment.id(), first.id()));
        assertEquals(1, installation.count("join_request"));
    }

    @Test
    void aFullQueueRefusesNewRequestsAndStoresNothing() {
        DeviceKey queuedKey = DeviceKey.generate();
        JoinReceipt queued = submit("user0@enigm", queuedKey);
        for (int i = 1; i < 3; i++) {
            submit("user" + i + "@enigm", DeviceKey.generate());
        }
        Map<String, Long> before = installation.counts();
        for (int i = 0; i < 3; i++) {
            RateLimitedException refused = assertInstanceOf(RateLimitedException.class, assertThrows(
                    CompletionException.class, () -> submit("user9@enigm", DeviceKey.generate())).getCause());
            assertTrue(refused.retryAfter().toSeconds() > 0);
        }
        Map<String, Long> after = new HashMap<>(installation.counts());
        assertEquals(before.get("security_event") + 1, after.remove("security_event"),
                "one JOIN_FLOOD event a minute, not one per refusal");
        before.remove("security_event");
        assertEquals(before, after, "nothing else is stored");
        assertEquals(List.of("JOIN_FLOOD"), installation.database.read(handle -> handle.createQuery(
                "SELECT category FROM security_event WHERE category = 'JOIN_FLOOD'").mapTo(String.class).list()));
        // A retry of a queued request still answers, an invited request never waits in the queue,
        // and expired requests free their places.
        assertEquals(queued, submit("user0@enigm", queuedKey));
        MintedInvite invite = installation.invites.create(environment.id(), null, Installation.ADMIN);
        assertEquals(JoinRequestState.APPROVED, installation.joinRequests.submit(new JoinSubmission(
                environment.serverId(), "invited@enigm", DeviceKey.generate().publicKey(), null, invite.code())).join().state());
        installation.clock.advance(Duration.ofHours(73));
        submit("user9@enigm", DeviceKey.generate());
    }

    @Test
    void requestsExpireAndSayExpired() {
        DeviceKey key = DeviceKey.generate();
        JoinReceipt receipt = submit("alice@enigm", key);
        installation.clock.advance(Duration.ofHours(72));
        assertEquals(JoinRequestState.EXPIRED, installation.joinRequests.follow(receipt.id(),
                key.joinHeader(receipt.id(), "GET", installation.clock.instant())).state());
        assertEquals(0, installation.joinRequests.list(environment.id(), JoinRequestState.PENDING,
                PageRequest.first(50)).items().size());
        JoinRequest expired = installation.joinRequests.list(environment.id(), JoinRequestState.EXPIRED,
                PageRequest.first(50)).items().get(0);
        assertNull(expired.displayName());
        assertThrows(ConflictException.class, () -> installation.approve(environment.id(), receipt.id()));
        assertEquals(0, installation.count("member"));
    }

    @Test
    void approvalMakesAnActiveMemberAndEnrollsTheDeviceInTheEnvironmentsTrustState() {
        DeviceKey key = DeviceKey.generate();
        JoinReceipt receipt = submit("alice@enigm", key);
        JoinRequest approved = installation.approve(environment.id(), receipt.id());
        assertEquals(JoinRequestState.APPROVED, approved.state());
        assertEquals(MemberState.ACTIVE, installation.members.get(environment.id(), approved.memberId()).state());
        assertEquals(DeviceTrust.PENDING, installation.devices.get(environment.id(), approved.deviceId()).trust());
        JoinRequest followed = installation.joinRequests.follow(receipt.id(),
                key.joinHeader(receipt.id(), "GET", installation.clock.instant()));
        assertEquals(approved.memberId(), followed.memberId());
        assertEquals(approved.deviceId(), followed.deviceId());
        assertEquals(environment.id(), followed.environmentId());
        assertNull(followed.displayName());

        installation.environments.update(environment.id(),
                new EnvironmentChanges(null, null, null, null, EnrollmentTrust.TRUSTED));
        JoinRequest newcomer = installation.approve(environment.id(), submit("bob@enigm", DeviceKey.generate()).id());
        assertEquals(DeviceTrust.TRUSTED, installation.devices.get(environment.id(), newcomer.deviceId()).trust(),
                "a new member's device starts in the environment's trust");
        assertEquals(2, installation.count("member"));
    }

    @Test
    void aRequestForALiveMembersAccountIsShownAsAddingADeviceAndAddsItPendingWhateverTheEnvironmentTrusts() {
        installation.environments.update(environment.id(),
                new EnvironmentChanges(null, null, null, null, EnrollmentTrust.TRUSTED));
        JoinRequest alice = installation.approve(environment.id(), submit("alice@enigm", DeviceKey.generate()).id());
        assertNull(alice.existingMemberId(), "approved: no longer says anything about it");
        JoinReceipt second = submit("alice@enigm", DeviceKey.generate(), "Alice's laptop", null);

        JoinRequest listed = pending().get(0);
        assertEquals(second.id(), listed.id());
        assertEquals(alice.memberId(), listed.existingMemberId(), "adds a device to member alice");
        JoinRequest approved = installation.approve(environment.id(), second.id());
        assertEquals(alice.memberId(), approved.memberId(), "another device of the same member");
        assertEquals(DeviceTrust.PENDING, installation.devices.get(environment.id(), approved.deviceId()).trust(),
                "the environment trusts new devices, but an account handle is no proof: a device administrator decides");
        assertEquals(1, installation.count("member"));
        assertEquals(2, installation.count("device"));
    }

    @Test
    void anInviteNeverAdmitsADeviceToAnExistingMembersAccount() {
        installation.environments.update(environment.id(),
                new EnvironmentChanges(null, null, null, null, EnrollmentTrust.TRUSTED));
        JoinRequest alice = installation.approve(environment.id(), submit("alice@enigm", DeviceKey.generate()).id());
        MintedInvite invite = installation.invites.create(environment.id(), null, Installation.ADMIN);
        long audited = installation.count("audit_record");

        JoinReceipt attack = submit("alice@enigm", DeviceKey.generate(), "Alice", invite.code());
        assertEquals(JoinRequestState.PENDING, attack.state(), "never approved on arrival");
        assertEquals(1, installation.count("device"), "no device was enrolled for alice");
        assertEquals(audited, installation.count("audit_record"), "nothing approved in the inviter's name");
        assertEquals(alice.memberId(), installation.joinRequests.get(environment.id(), attack.id()).existingMemberId());
        // The invite is spent on it, so one code cannot probe account after account.
        var used = installation.invites.list(environment.id(), PageRequest.first(50)).items().get(0);
        assertEquals("USED", used.state().name());
        assertEquals(attack.id(), used.joinRequestId());
        assertEquals(JoinRequestState.PENDING, submit("carol@enigm", DeviceKey.generate(), null, invite.code()).state());

        // Approved by an administrator, it still starts PENDING for a device administrator to decide.
        JoinRequest approved = installation.approve(environment.id(), attack.id());
        assertEquals(DeviceTrust.PENDING, installation.devices.get(environment.id(), approved.deviceId()).trust());
    }

    @Test
    void approvalNamesTheFingerprintTheAdministratorComparedAndNothingElseApproves() {
        JoinReceipt receipt = submit("alice@enigm", DeviceKey.generate());
        JoinReceipt other = submit("alice@enigm", DeviceKey.generate());
        Map<String, Long> before = installation.counts();
        for (String missing : java.util.Arrays.asList(null, "", "  ")) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> installation.joinRequests.approve(environment.id(), receipt.id(), missing));
            assertEquals("deviceFingerprint", refused.field());
        }
        assertThrows(ConflictException.class,
                () -> installation.joinRequests.approve(environment.id(), receipt.id(), other.deviceFingerprint()),
                "the fingerprint of another request of the same account");
        assertEquals(before, installation.counts());
        assertEquals(JoinRequestState.PENDING, installation.joinRequests.get(environment.id(), receipt.id()).state());

        JoinRequest approved = installation.joinRequests.approve(environment.id(), receipt.id(),
                receipt.deviceFingerprint().toUpperCase(java.util.Locale.ROOT));
        assertEquals(JoinRequestState.APPROVED, approved.state());
    }

    @Test
    void aRejectionKeepsOnlyWhatTheAuditNeeds() {
        DeviceKey key = DeviceKey.generate();
        JoinReceipt receipt = submit("alice@enigm", key);
        installation.joinRequests.reject(environment.id(), receipt.id());
        Map<String, Object> row = installation.database.read(handle -> handle.createQuery(
                "SELECT * FROM join_request WHERE id = :id").bind("id", receipt.id()).mapToMap().one());
        assertEquals("REJECTED", row.get("state"));
        for (String erased : List.of("account_handle", "key_handle", "public_key", "display_name")) {
            assertNull(row.get(erased), erased);
        }
        assertThrows(NotFoundException.class, () -> installation.joinRequests.follow(receipt.id(),
                key.joinHeader(receipt.id(), "GET", installation.clock.instant())));
        assertEquals(0, installation.count("member"));
    }

    @Test
    void everyIllegalTransitionOfAJoinRequestIsAConflict() {
        for (JoinRequestState from : List.of(JoinRequestState.APPROVED, JoinRequestState.REJECTED,
                JoinRequestState.EXPIRED, JoinRequestState.CANCELLED)) {
            for (String action : List.of("approve", "reject", "cancel")) {
                try (Installation fresh = new Installation(directory.resolve(from + "-" + action))) {
                    Environment place = fresh.environment("Transitions");
                    DeviceKey key = DeviceKey.generate();
                    JoinReceipt receipt = fresh.joinRequests.submit(new JoinSubmission(place.serverId(), "a@enigm",
                            key.publicKey(), null, null)).join();
                    String id = receipt.id();
                    switch (from) {
                        case APPROVED -> fresh.approve(place.id(), id);
                        case REJECTED -> fresh.joinRequests.reject(place.id(), id);
                        case EXPIRED -> fresh.clock.advance(Duration.ofHours(72));
                        default -> fresh.joinRequests.cancel(id, key.joinHeader(id, "DELETE", fresh.clock.instant()));
                    }
                    Map<String, Long> before = fresh.counts();
                    Class<? extends RuntimeException> expected = (from == JoinRequestState.REJECTED
                            || from == JoinRequestState.CANCELLED) && action.equals("cancel") ? NotFoundException.class
                                    : ConflictException.class;
                    assertThrows(expected, () -> {
                        switch (action) {
                            case "approve" -> fresh.joinRequests.approve(place.id(), id, receipt.deviceFingerprint());
                            case "reject" -> fresh.joinRequests.reject(place.id(), id);
                            default -> fresh.joinRequests.cancel(id, key.joinHeader(id, "DELETE", fresh.clock.instant()));
                        }
                    }, from + " " + action);
                    assertEquals(before, fresh.counts(), from + " " + action);
                }
            }
        }
    }

    @Test
    void membershipChangesNeedAnActiveEnvironment() {
        JoinReceipt receipt = submit("alice@enigm", DeviceKey.generate());
        installation.environments.apply(environment.id(), LifecycleAction.SUSPEND, null);
        ConflictException refused = assertThrows(ConflictException.class,
                () -> installation.approve(environment.id(), receipt.id()));
        assertTrue(refused.getMessage().contains("SUSPENDED"), refused.getMessage());
        assertThrows(ConflictException.class, () -> installation.joinRequests.reject(environment.id(), receipt.id()));
        assertThrows(ConflictException.class, () -> installation.invites.create(environment.id(), null, Installation.ADMIN));
    }

    @Test
    void theDeviceFollowsAndCancelsOnlyWithAFreshSignatureOfItsOwnKey() {
        DeviceKey key = DeviceKey.generate();
        String id = submit("alice@enigm", key).id();
        var now = installation.clock.instant();
        assertEquals(JoinRequestState.PENDING, installation.joinRequests.follow(id, key.joinHeader(id, "GET", now)).state());
        List<String> refused = List.of(
                DeviceKey.generate().joinHeader(id, "GET", now),             // another key
                key.joinHeader("x" + id.substring(1), "GET", now),            // signed for another request
                key.joinHeader(id, "GET", now.minusSeconds(61)),              // stale
                key.joinHeader(id, "GET", now.plusSeconds(61)),               // from the future
                now.getEpochSecond() + "." + Base64.getEncoder().encodeToString(new byte[64]), // forged
                now.getEpochSecond() + ".not base64!",
                "",
                now.getEpochSecond() + "");
        for (String header : refused) {
            assertThrows(AuthenticationFailedException.class, () -> installation.joinRequests.follow(id, header), header);
            assertThrows(AuthenticationFailedException.class, () -> installation.joinRequests.cancel(id, header), header);
        }
        assertThrows(AuthenticationFailedException.class, () -> installation.joinRequests.follow(id, null));
        // A signature is for one method: a GET's cannot cancel, a DELETE's cannot read.
        assertThrows(AuthenticationFailedException.class,
                () -> installation.joinRequests.follow(id, key.joinHeader(id, "DELETE", now)));
        assertThrows(AuthenticationFailedException.class,
                () -> installation.joinRequests.cancel(id, key.joinHeader(id, "GET", now)));
        assertEquals(JoinRequestState.PENDING, installation.joinRequests.get(environment.id(), id).state());
        assertThrows(NotFoundException.class, () -> installation.joinRequests.follow("unknown-request-id-0000",
                key.joinHeader("unknown-request-id-0000", "GET", now)));
        installation.joinRequests.cancel(id, key.joinHeader(id, "DELETE", now.plusSeconds(59)));
        assertEquals(JoinRequestState.CANCELLED, installation.joinRequests.get(environment.id(), id).state());
    }

    @Test
    void aValidInviteApprovesOnArrivalOnceAndIsAuditedAsAnApproval() {
        MintedInvite invite = installation.invites.create(environment.id(), null, Installation.ADMIN);
        assertTrue(invite.code().matches("[A-Z2-7]{5}(-[A-Z2-7]{5}){3}"), invite.code());
        JoinReceipt receipt = installation.joinRequests.submit(new JoinSubmission(environment.serverId(), "alice@enigm",
                DeviceKey.generate().publicKey(), null, invite.code().toLowerCase())).join();
        assertEquals(JoinRequestState.APPROVED, receipt.state());
        AuditEntry approval = installation.audit.list(environment.id(), PageRequest.first(50)).items().stream()
                .map(AuditRecord::entry).filter(entry -> entry.action().equals("join-request.approve"))
                .findFirst().orElseThrow();
        assertEquals(AuditOutcome.ALLOWED, approval.outcome());
        assertEquals(Installation.ADMIN.tokenId(), approval.actor());
        assertEquals(receipt.id(), approval.target());
        // Single use: the same code again is an ordinary pending request.
        assertEquals(JoinRequestState.PENDING, installation.joinRequests.submit(new JoinSubmission(
                environment.serverId(), "bob@enigm", DeviceKey.generate().publicKey(), null, invite.code())).join().state());
        assertEquals("USED", installation.invites.list(environment.id(), PageRequest.first(50)).items().get(0)
                .state().name());
        // The code is stored only as a hash.
        assertEquals(Long.valueOf(0), installation.database.read(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM invite WHERE code_hash LIKE :code").bind("code", "%" + invite.code() + "%")
                .mapTo(Long.class).one()));
    }

    @Test
    void expiredRevokedAndForeignInvitesApproveNothing() {
        Environment other = installation.environment("Elsewhere");
        MintedInvite foreign = installation.invites.create(other.id(), null, Installation.ADMIN);
        MintedInvite revoked = installation.invites.create(environment.id(), null, Installation.ADMIN);
        installation.invites.revoke(environment.id(), revoked.invite().id());
        assertThrows(ConflictException.class, () -> installation.invites.revoke(environment.id(), revoked.invite().id()));
        MintedInvite expiring = installation.invites.create(environment.id(), Duration.ofMinutes(5), Installation.ADMIN);
        installation.clock.advance(Duration.ofMinutes(5));
        int i = 0;
        for (MintedInvite invite : List.of(foreign, revoked, expiring)) {
            assertEquals(JoinRequestState.PENDING, installation.joinRequests.submit(new JoinSubmission(
                    environment.serverId(), "user" + i++ + "@enigm", DeviceKey.generate().publicKey(), null,
                    invite.code())).join().state());
        }
        assertEquals(0, installation.count("member"));
        List<String> guesses = installation.securityEventFeed.list(environment.id(), new SecurityEventFilter(null,
                SecurityEventCategory.INVITE_CODE_GUESSED, null, null), new PageRequest(null, 50)).items().stream()
                .map(event -> event.risk() + " " + event.subjectHandle().length()).toList();
        assertEquals(List.of("MEDIUM 43", "MEDIUM 43", "MEDIUM 43"), guesses,
                "each a security event naming the requesting key's handle, never the code");
        assertThrows(InvalidRequestException.class,
                () -> installation.invites.create(environment.id(), Duration.ofDays(31), Installation.ADMIN));
        assertThrows(NotFoundException.class, () -> installation.invites.revoke(environment.id(), foreign.invite().id()));
    }

    @Test
    void badSubmissionsAreRefusedNamingTheFieldAndChangeNothing() throws Exception {
        var ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String p256 = Base64.getEncoder().encodeToString(ec.generateKeyPair().getPublic().getEncoded());
        String rsa = Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded());
        String ed448 = Base64.getEncoder().encodeToString(
                KeyPairGenerator.getInstance("Ed448").generateKeyPair().getPublic().getEncoded());
        String good = DeviceKey.generate().publicKey();
        byte[] raw = Base64.getDecoder().decode(good);
        String rawKeyOnly = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(raw, 12, 44));
        String server = environment.serverId();
        Map<String, JoinSubmission> bad = Map.ofEntries(
                Map.entry("devicePublicKey", new JoinSubmission(server, "a@enigm", p256, null, null)),
                Map.entry("devicePublicKey ", new JoinSubmission(server, "a@enigm", rsa, null, null)),
                Map.entry("devicePublicKey  ", new JoinSubmission(server, "a@enigm", ed448, null, null)),
                Map.entry("devicePublicKey   ", new JoinSubmission(server, "a@enigm", rawKeyOnly, null, null)),
                Map.entry("devicePublicKey    ", new JoinSubmission(server, "a@enigm", "not base64!", null, null)),
                Map.entry("devicePublicKey     ", new JoinSubmission(server, "a@enigm", good + "AAAA", null, null)),
                Map.entry("devicePublicKey      ", new JoinSubmission(server, "a@enigm", null, null, null)),
                // the neutral point: every signature would verify against it, so it is never a device's key
                Map.entry("devicePublicKey       ", new JoinSubmission(server, "a@enigm",
                        Base64.getEncoder().encodeToString(neutralPoint(raw)), null, null)),
                Map.entry("accountHandle", new JoinSubmission(server, "x".repeat(257), good, null, null)),
                Map.entry("accountHandle ", new JoinSubmission(server, " ", good, null, null)),
                Map.entry("displayName", new JoinSubmission(server, "a@enigm", good, "y".repeat(101), null)),
                Map.entry("displayName ", new JoinSubmission(server, "a@enigm", good, "a\u0007b", null)),
                Map.entry("serverId", new JoinSubmission(null, "a@enigm", good, null, null)),
                Map.entry("serverId ", new JoinSubmission("z".repeat(65), "a@enigm", good, null, null)),
                Map.entry("inviteCode", new JoinSubmission(server, "a@enigm", good, null, "c".repeat(65))));
        Map<String, Long> before = installation.counts();
        bad.forEach((field, submission) -> {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> installation.joinRequests.submit(submission), field);
            assertEquals(field.strip(), refused.field());
        });
        assertEquals(before, installation.counts());
        Consumer<String> unknownIds = id -> {
            assertThrows(NotFoundException.class,
                    () -> installation.joinRequests.approve(environment.id(), id, "0000-0000-0000-0000"));
            assertThrows(NotFoundException.class, () -> installation.joinRequests.get("no-such-environment", id));
        };
        unknownIds.accept("no-such-request");
        assertEquals(before, installation.counts());
    }

    /** An Ed25519 SubjectPublicKeyInfo like {@code der} whose point is the neutral element (y = 1). */
    private static byte[] neutralPoint(byte[] der) {
        byte[] neutral = java.util.Arrays.copyOf(der, der.length);
        java.util.Arrays.fill(neutral, 12, 44, (byte) 0);
        neutral[12] = 1;
        return neutral;
    }
}
