package io.enigm.server.content.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.TooLargeException;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.content.ContentFeed;
import io.enigm.server.content.ContentObject;
import io.enigm.server.content.ContentRead;
import io.enigm.server.content.ContentReceipt;
import io.enigm.server.content.ContentStatistics;
import io.enigm.server.content.ContentUpload;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.Surface;
import io.enigm.server.environment.internal.TestEnvironments;
import io.enigm.server.membership.ClosedAccount;
import io.enigm.server.membership.MemberState;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

/** Content on the real store, blob store and audit log, with sessions and members answered by doubles. */
class StoredContentTest {

    private static final int INLINE = 1024;
    private static final long MAX = 256 * 1024;

    @TempDir
    Path directory;

    private final TestClock clock = new TestClock();
    private final SessionDouble sessions = new SessionDouble();
    private final MembersDouble members = new MembersDouble();
    private DataHome home;
    private TestEnvironments installed;
    private Database database;
    private EnvironmentService environments;
    private Blobs blobs;
    private StoredBlobs stored;
    private StoredContent content;
    private Environment environment;
    private String alice;
    private String bob;
    private String carol;

    @BeforeEach
    void start() {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        installed = TestEnvironments.install(home, database, clock, Duration.ofMillis(20));
        environments = installed.environments();
        blobs = Blobs.of(database, home);
        stored = new StoredBlobs(database, home);
        content = new StoredContent(database, blobs, sessions, environments, installed.holds(), members, installed.audit(),
                TestAuditLogs.idempotentAnswers(database, clock),
                new ContentLimits(MAX, INLINE, Duration.ofMinutes(5), Duration.ofSeconds(1), 3, 3, Duration.ofSeconds(1)),
                clock);
        environment = environments.create(new NewEnvironment("Field office", null));
        String env = environment.id();
        alice = sessions.session(env, members.add(env, "alice", MemberState.ACTIVE), "alice-phone");
        bob = sessions.session(env, members.add(env, "bob", MemberState.ACTIVE), "bob-phone");
        carol = sessions.session(env, members.add(env, "carol", MemberState.ACTIVE), "carol-phone");
    }

    private ContentReceipt upload(String token, Surface surface, Set<String> recipients, byte[] bytes) {
        return content.upload(token, environment.id(), new ContentUpload(surface, recipients, null),
                new ByteArrayInputStream(bytes)).join();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] readAll(ContentRead read, long offset) throws IOException {
        try (InputStream in = read.open(offset)) {
            return in.readAllBytes();
        }
    }

    private long rows(String table) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    private List<Path> files(String under) throws IOException {
        try (Stream<Path> walk = Files.walk(home.directory().resolve("content").resolve(under))) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void smallObjectsRideInTheirRowAndLargeOnesInOwnerOnlyBlobsBothReadBackUnchanged() throws Exception {
        byte[] small = random(INLINE);
        byte[] large = random(INLINE * 70 + 3);
        ContentReceipt message = upload(alice, Surface.MESSAGES, Set.of(), small);
        ContentReceipt media = upload(alice, Surface.MEDIA, Set.of(), large);

        assertEquals(List.of(media.id()), stored.ids(), "only the large object has its bytes outside its row");
        if (!database.sharedByNodes()) {
            Path blob = files("objects").get(0);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(blob)));
            for (Path dir : List.of(blob.getParent(), blob.getParent().getParent(),
                    blob.getParent().getParent().getParent())) {
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)),
                        dir.toString());
            }
        }
        assertEquals(0, stored.receiving());

        ContentRead readMessage = content.read(bob, environment.id(), message.id());
        assertArrayEquals(small, readAll(readMessage, 0));
        ContentRead readMedia = content.read(bob, environment.id(), media.id());
        assertArrayEquals(large, readAll(readMedia, 0));
        assertArrayEquals(Arrays.copyOfRange(large, 1000, large.length), readAll(readMedia, 1000));
        assertArrayEquals(new byte[0], readAll(readMedia, large.length));
        assertEquals(large.length, readMedia.object().size());
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(large)), readMedia.object().etag());
        assertEquals(List.of(new SessionDouble.Asked(AccessAction.UPLOAD_CONTENT, "messages"),
                new SessionDouble.Asked(AccessAction.UPLOAD_CONTENT, "media"),
                new SessionDouble.Asked(AccessAction.READ_CONTENT, "messages"),
                new SessionDouble.Asked(AccessAction.READ_CONTENT, "media")), sessions.asked);
    }

    @Test
    void anOversizedUploadIsRefusedAndLeavesNothing() throws Exception {
        long audited = rows("audit_record");
        assertThrows(TooLargeException.class, () -> upload(alice, Surface.MEDIA, Set.of(), random((int) MAX + 1)));
        assertEquals(0, rows("content_object"));
        assertEquals(audited, rows("audit_record"));
        assertEquals(0, stored.receiving());
        assertEquals(List.of(), stored.ids());
        String largest = upload(alice, Surface.MEDIA, Set.of(), random((int) MAX)).id();
        assertEquals(MAX, content.read(alice, environment.id(), largest).object().size(), "exactly the maximum is kept");
    }

    @Test
    void aDisabledSurfaceOrADeniedPolicyRefusesBeforeAnythingIsRead() {
        environments.update(environment.id(), new EnvironmentChanges(null, null, null, null, null,
                EnumSet.of(Surface.MESSAGES)));
        ForbiddenException disabled = assertThrows(ForbiddenException.class,
                () -> upload(alice, Surface.MEDIA, Set.of(), random(10)));
        assertTrue(disabled.getMessage().contains("MEDIA"), disabled.getMessage());
        sessions.denied.add("UPLOAD_CONTENT messages");
        assertThrows(AccessDeniedException.class, () -> upload(alice, Surface.MESSAGES, Set.of(), random(10)));
        assertThrows(AuthenticationFailedException.class, () -> upload("forged", Surface.MESSAGES, Set.of(),
                random(10)));
        assertEquals(0, rows("content_object"));
    }

    @Test
    void lifetimeIsCutToTheEnvironmentsAndCallSetUpToMinutesAndTheAnswerSaysSo() {
        environments.update(environment.id(), new EnvironmentChanges(null, null, null, 2, null));
        ContentUpload tenDays = new ContentUpload(Surface.MESSAGES, Set.of(), Duration.ofDays(10));
        ContentReceipt clamped = content.upload(alice, environment.id(), tenDays, new ByteArrayInputStream(random(5)))
                .join();
        assertTrue(clamped.lifetimeClamped());
        assertEquals(clock.instant().plus(Duration.ofDays(2)), clamped.expiresAt());

        ContentReceipt hour = content.upload(alice, environment.id(), new ContentUpload(Surface.MESSAGES, Set.of(),
                Duration.ofHours(1)), new ByteArrayInputStream(random(5))).join();
        assertFalse(hour.lifetimeClamped());
        assertEquals(clock.instant().plus(Duration.ofHours(1)), hour.expiresAt());

        ContentReceipt call = content.upload(alice, environment.id(), new ContentUpload(Surface.CALLS, Set.of(), null),
                new ByteArrayInputStream(random(5))).join();
        assertFalse(call.lifetimeClamped(), "nothing was asked, so nothing was cut");
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), call.expiresAt());

        assertThrows(InvalidRequestException.class, () -> content.upload(alice, environment.id(),
                new ContentUpload(Surface.MESSAGES, Set.of(), Duration.ZERO), new ByteArrayInputStream(random(5))));
    }

    @Test
    void onlyTheSenderAndRecipientsSeeAnObjectAndOthersGetNotFound() {
        ContentReceipt forBob = upload(alice, Surface.MESSAGES, Set.of("bob"), random(10));
        ContentReceipt forAll = upload(alice, Surface.MESSAGES, Set.of(), random(11));

        assertEquals(Set.of("bob"), content.read(alice, environment.id(), forBob.id()).object().recipients());
        content.read(bob, environment.id(), forBob.id());
        assertThrows(NotFoundException.class, () -> content.read(carol, environment.id(), forBob.id()));
        content.read(carol, environment.id(), forAll.id());
        assertEquals(List.of(forBob.id(), forAll.id()), ids(content.list(bob, environment.id(), null, 50)));
        assertEquals(List.of(forAll.id()), ids(content.list(carol, environment.id(), null, 50)));

        Environment other = environments.create(new NewEnvironment("Other", null));
        String stranger = sessions.session(other.id(), members.add(other.id(), "dave", MemberState.ACTIVE), "dave-phone");
        assertThrows(NotFoundException.class, () -> content.read(stranger, other.id(), forAll.id()));
        assertThrows(AuthenticationFailedException.class, () -> content.read(stranger, environment.id(), forAll.id()));
        assertThrows(InvalidRequestException.class, () -> upload(alice, Surface.MESSAGES, Set.of("dave"), random(3)));
        members.add(environment.id(), "gone", MemberState.REMOVED);
        assertThrows(InvalidRequestException.class, () -> upload(alice, Surface.MESSAGES, Set.of("gone"), random(3)));
    }

    @Test
    void theFeedMovesOnFromItsCursorAndLeavesOutWhatThePolicyRefuses() {
        ContentReceipt first = upload(alice, Surface.MESSAGES, Set.of(), random(1));
        ContentFeed feed = content.list(bob, environment.id(), null, 1);
        assertEquals(List.of(first.id()), ids(feed));
        ContentReceipt media = upload(alice, Surface.MEDIA, Set.of(), random(2));
        ContentReceipt second = upload(alice, Surface.MESSAGES, Set.of(), random(3));
        ContentFeed next = content.list(bob, environment.id(), feed.cursor(), 50);
        assertEquals(List.of(media.id(), second.id()), ids(next));
        ContentFeed nothing = content.list(bob, environment.id(), next.cursor(), 50);
        assertEquals(List.of(), nothing.items());
        assertEquals(next.cursor(), nothing.cursor());

        sessions.denied.add("READ_CONTENT media");
        assertEquals(List.of(first.id(), second.id()), ids(content.list(bob, environment.id(), null, 50)));
        assertThrows(InvalidRequestException.class, () -> content.list(bob, environment.id(), "x", 50));
    }

    @Test
    void expiredObjectsVanishAtOnceAndTheSweeperErasesRowsAndBytesInChunks() throws Exception {
        ContentUpload minute = new ContentUpload(Surface.MEDIA, Set.of(), Duration.ofMinutes(1));
        String kept = upload(alice, Surface.MESSAGES, Set.of(), random(5)).id();
        List<String> expiring = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expiring.add(content.upload(alice, environment.id(), minute,
                    new ByteArrayInputStream(random(INLINE * (i % 2 == 0 ? 2 : 0) + 7 + i))).join().id());
        }
        clock.advance(Duration.ofMinutes(1));
        assertThrows(NotFoundException.class, () -> content.read(bob, environment.id(), expiring.get(0)));
        assertEquals(List.of(kept), ids(content.list(bob, environment.id(), null, 50)));
        assertEquals(1, content.statistics(environment.id()).total().objects());
        assertEquals(8, rows("content_object"), "not erased yet");

        ContentSweeper sweeper = new ContentSweeper(database, blobs, installed.audit(), clock, 3);
        assertEquals(7, sweeper.sweep());
        assertEquals(1, rows("content_object"));
        assertEquals(List.of(), stored.ids());
        assertEquals(0, sweeper.sweep());
    }

    @Test
    void neitherLifetimeNorDeletionErasesWhatALegalHoldCovers() {
        ContentUpload minute = new ContentUpload(Surface.MESSAGES, Set.of(), Duration.ofMinutes(1));
        String aliceMember = "alice";
        // the double's alice as a row of the membership table, which a hold on a member names
        database.inTransaction(handle -> handle.execute("INSERT INTO member (id, environment_id, account_handle,"
                + " role, state, created_at, updated_at) VALUES ('alice', ?, 'h', 'MEMBER', 'ACTIVE', 0, 0)",
                environment.id()));
        content.upload(alice, environment.id(), minute, new ByteArrayInputStream(random(3))).join();
        content.upload(bob, environment.id(), minute, new ByteArrayInputStream(random(3))).join();
        installed.pin().set("246810", null);
        installed.holds().place(environment.id(), aliceMember, "Dispute", null, "246810");
        clock.advance(Duration.ofMinutes(1));
        ContentSweeper sweeper = new ContentSweeper(database, blobs, installed.audit(), clock, 3);
        assertEquals(1, sweeper.sweep(), "only bob's object: alice is held");
        installed.holds().place(environment.id(), null, "Regulator", clock.instant().plus(Duration.ofHours(1)),
                "246810");
        installed.holds().lift(environment.id(), aliceMember, "246810");
        assertEquals(0, sweeper.sweep(), "the environment's hold covers alice's object too");
        String fresh = upload(alice, Surface.MESSAGES, Set.of(), random(3)).id();
        assertThrows(LegalHeldException.class, () -> content.delete(alice, environment.id(), fresh));
        assertThrows(LegalHeldException.class, () -> content.delete(environment.id(), fresh));
        clock.advance(Duration.ofHours(1));
        assertEquals(1, sweeper.sweep(), "a hold that ended covers nothing");
        content.delete(alice, environment.id(), fresh);
        assertEquals(0, rows("content_object"));
    }

    @Test
    void aDeletedEnvironmentsContentIsErasedRowsAndBytesAndNoOtherEnvironmentsIs() throws Exception {
        upload(alice, Surface.ATTACHMENTS, Set.of("bob"), random(INLINE * 3));
        upload(alice, Surface.MESSAGES, Set.of(), random(3));
        Environment other = environments.create(new NewEnvironment("Other office", null));
        String dave = sessions.session(other.id(), members.add(other.id(), "dave", MemberState.ACTIVE), "dave-phone");
        String kept = content.upload(dave, other.id(), new ContentUpload(Surface.MEDIA, Set.of(), null),
                new ByteArrayInputStream(random(INLINE * 2))).join().id();
        database.inTransaction(handle -> handle.execute("INSERT INTO content_deletion (id, environment_id, scope,"
                + " member_id, objects, bytes, erased, requested_at, completed_at) VALUES ('job-1', ?, 'MEMBER',"
                + " 'alice', 0, 0, 0, 0, 0)", environment.id()));
        EnvironmentContent data = new EnvironmentContent(database, blobs);
        assertTrue(data.holds(environment.id()));

        data.erase(environment.id());

        assertFalse(data.holds(environment.id()));
        assertTrue(data.holds(other.id()));
        assertEquals(1, rows("content_object"));
        assertEquals(0, rows("content_recipient"));
        assertEquals(0, rows("content_deletion"), "its deletion jobs, which name members, go too");
        assertEquals(List.of(kept), stored.ids());
    }

    @Test
    void aClosedAccountsSentContentIsErasedAndItLeavesOthersRecipientListsWhileTheirObjectsStay() throws Exception {
        upload(alice, Surface.ATTACHMENTS, Set.of("bob"), random(INLINE * 3));
        upload(alice, Surface.MESSAGES, Set.of(), random(3));
        String bobsFile = upload(bob, Surface.MEDIA, Set.of("alice", "carol"), random(INLINE * 2)).id();
        String bobsMessage = upload(bob, Surface.MESSAGES, Set.of("alice"), random(5)).id();

        new ClosedAccountContent(database, blobs).erase(new ClosedAccount(environment.id(), "alice", Set.of()));

        assertEquals(Set.of(bobsFile, bobsMessage), content.list(bob, environment.id(), null, 50).items().stream()
                .map(ContentObject::id).collect(Collectors.toSet()));
        assertEquals(List.of(bobsFile), stored.ids());
        assertEquals(List.of("carol"), database.read(handle -> handle.createQuery(
                "SELECT member_id FROM content_recipient").mapTo(String.class).list()));
    }

    @Test
    void aRetryUnderItsKeyGetsTheFirstReceiptAndStoresNothingWhileOtherBytesUnderItAreRefused() throws Exception {
        byte[] large = random(INLINE * 3);
        ContentUpload keyed = new ContentUpload(Surface.ATTACHMENTS, Set.of("bob"), null, "upload-1");
        ContentReceipt first = content.upload(alice, environment.id(), keyed, new ByteArrayInputStream(large)).join();
        ContentReceipt retry = content.upload(alice, environment.id(), keyed, new ByteArrayInputStream(large)).join();

        assertEquals(first, retry);
        assertEquals(1, rows("content_object"));
        assertEquals(List.of(first.id()), stored.ids());
        assertEquals(0, stored.receiving());
        for (ContentUpload other : List.of(new ContentUpload(Surface.MEDIA, Set.of("bob"), null, "upload-1"),
                new ContentUpload(Surface.ATTACHMENTS, Set.of("carol"), null, "upload-1"),
                new ContentUpload(Surface.ATTACHMENTS, Set.of("bob"), Duration.ofHours(1), "upload-1"))) {
            assertRefusedAsInvalid(other, large);
        }
        assertRefusedAsInvalid(keyed, random(7));
        assertEquals(1, rows("content_object"));
        // Another device's same key is its own; so is the same device's next key.
        String bobs = content.upload(bob, environment.id(), keyed, new ByteArrayInputStream(large)).join().id();
        String next = content.upload(alice, environment.id(), new ContentUpload(Surface.ATTACHMENTS, Set.of("bob"),
                null, "upload-2"), new ByteArrayInputStream(large)).join().id();
        assertEquals(3, Set.of(first.id(), bobs, next).size());
        assertEquals(3, rows("content_object"));
        assertEquals(0, stored.receivingOnceDiscarded(), "refused uploads leave nothing");
    }

    private void assertRefusedAsInvalid(ContentUpload upload, byte[] bytes) {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> content.upload(alice, environment.id(), upload, new ByteArrayInputStream(bytes)).join());
        assertTrue(refused.getCause() instanceof InvalidRequestException, refused.toString());
    }

    @Test
    void theSenderDeletesItsOwnObjectAndAnAdministratorAnyWithTheBytes() throws Exception {
        ContentReceipt large = upload(alice, Surface.ATTACHMENTS, Set.of(), random(INLINE * 3));
        ContentReceipt small = upload(alice, Surface.MESSAGES, Set.of(), random(3));
        assertThrows(NotFoundException.class, () -> content.delete(bob, environment.id(), large.id()));
        content.delete(alice, environment.id(), large.id());
        assertEquals(List.of(), stored.ids());
        assertThrows(NotFoundException.class, () -> content.read(alice, environment.id(), large.id()));
        content.delete(environment.id(), small.id());
        assertThrows(NotFoundException.class, () -> content.delete(environment.id(), small.id()));
        assertEquals(0, rows("content_object"));
    }

    @Test
    void statisticsCountSizesAndDatesPerSenderAndNothingElse() {
        upload(alice, Surface.MESSAGES, Set.of("bob"), random(10));
        clock.advance(Duration.ofSeconds(5));
        upload(alice, Surface.MESSAGES, Set.of(), random(20));
        upload(bob, Surface.MESSAGES, Set.of(), random(5));
        ContentStatistics statistics = content.statistics(environment.id());
        assertEquals(new ContentStatistics.Usage(3, 35, clock.instant().minusSeconds(5), clock.instant()),
                statistics.total());
        assertEquals(List.of("alice", "bob"), statistics.bySender().stream().map(ContentStatistics.MemberUsage::memberId)
                .toList());
        assertEquals(30, statistics.bySender().get(0).usage().bytes());
        ContentStatistics empty = content.statistics(environments.create(new NewEnvironment("Empty", null)).id());
        assertEquals(new ContentStatistics.Usage(0, 0, null, null), empty.total());
    }

    @Test
    void whatACrashLeftIsRemovedAtTheNextStart() throws Exception {
        assumeFalse(database.sharedByNodes(), "files only; ContentAcrossNodesTest removes abandoned chunks");
        String kept = upload(alice, Surface.MEDIA, Set.of(), random(INLINE * 2)).id();
        Path incoming = home.directory().resolve("content/incoming/half.part");
        Files.write(incoming, random(100));
        Path orphan = home.directory().resolve("content/objects/zz/zzorphan");
        Files.createDirectories(orphan.getParent());
        Files.write(orphan, random(100));

        // a file kept where it was stored before ids began with their time: under the first two characters
        Path file = files("objects").stream().filter(path -> path.endsWith(kept)).findFirst().orElseThrow();
        Path earlier = home.directory().resolve("content/objects").resolve(kept.substring(0, 2)).resolve(kept);
        Files.createDirectories(earlier.getParent());
        Files.move(file, earlier);

        assertEquals(2, new BlobStore(database, home.directory()).removeLeftovers(ids -> database.read(handle ->
                ContentRows.existing(handle, ids))));
        assertFalse(Files.exists(incoming));
        assertFalse(Files.exists(orphan));
        assertEquals(List.of(file), files("objects"), "moved to where it is looked for");
        assertEquals(INLINE * 2, readAll(content.read(alice, environment.id(), kept), 0).length);
    }

    @Test
    void followersGetWhatTheySeeAfterTheirCursorOnceAndInOrderThenWhatIsNewUntilTheirSessionEnds() throws Exception {
        upload(alice, Surface.MESSAGES, Set.of(), random(1));
        String cursor = content.list(bob, environment.id(), null, 50).cursor();
        String second = upload(alice, Surface.MESSAGES, Set.of("bob"), random(2)).id();
        upload(alice, Surface.MESSAGES, Set.of("carol"), random(3));
        RecordingListener bobs = new RecordingListener();
        content.follow(bob, environment.id(), cursor, bobs);
        String third = upload(carol, Surface.MEDIA, Set.of(), random(4)).id();
        assertEquals(List.of(second, third), bobs.created(2));

        RecordingListener fromNow = new RecordingListener();
        content.follow(carol, environment.id(), null, fromNow);
        sessions.denied.add("READ_CONTENT attachments");
        RecordingListener withoutAttachments = new RecordingListener();
        content.follow(alice, environment.id(), null, withoutAttachments);
        upload(bob, Surface.ATTACHMENTS, Set.of(), random(5));
        String fourth = upload(bob, Surface.MESSAGES, Set.of("carol", "alice"), random(6)).id();
        assertEquals(List.of(fourth), withoutAttachments.created(1), "a surface the policy refuses is left out");
        assertEquals(2, fromNow.created(2).size());

        assertEquals(2, bobs.created(2).size(), "its own device's uploads reach the sender's other devices");
        sessions.live.remove(bob);
        bobs.awaitEnded();
        assertThrows(AuthenticationFailedException.class, () -> content.follow(bob, environment.id(), null,
                new RecordingListener()));
    }

    private static List<String> ids(ContentFeed feed) {
        return feed.items().stream().map(ContentObject::id).toList();
    }
}
