package io.enigm.server.content.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditRecord;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.PageRequest;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.content.ContentObject;
import io.enigm.server.content.ContentUpload;
import io.enigm.server.content.DeletionJob;
import io.enigm.server.content.DeletionReceipt;
import io.enigm.server.content.DeletionScope;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.Surface;
import io.enigm.server.environment.internal.TestEnvironments;
import io.enigm.server.membership.MemberState;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Deletion jobs on the real store, blob store, legal holds and audit log; the runner is stepped by hand. */
class StoredDeletionsTest {

    private static final int INLINE = 1024;
    private static final int CHUNK = 2;
    private static final String PIN = "246810";

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
    private StoredContent content;
    private DeletionRunner runner;
    private StoredDeletions deletions;
    private String env;
    private String alice;
    private String bob;

    @BeforeEach
    void start() {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        installed = TestEnvironments.install(home, database, clock, Duration.ofMillis(20));
        environments = installed.environments();
        blobs = Blobs.of(database, home);
        content = new StoredContent(database, blobs, sessions, environments, installed.holds(), members,
                installed.audit(), TestAuditLogs.idempotentAnswers(database, clock), new ContentLimits(256 * 1024, INLINE, Duration.ofMinutes(5), Duration.ofSeconds(1),
                        3, CHUNK, Duration.ofSeconds(1)), clock);
        runner = newRunner();
        deletions = new StoredDeletions(database, environments, installed.holds(), installed.pin(), runner, clock);
        Environment environment = environments.create(new NewEnvironment("Field office", null));
        env = environment.id();
        alice = sessions.session(env, members.add(env, "alice", MemberState.ACTIVE), "alice-phone");
        bob = sessions.session(env, members.add(env, "bob", MemberState.ACTIVE), "bob-phone");
        // alice as a row of the membership table, which a hold on a member names
        database.inTransaction(handle -> handle.execute("INSERT INTO member (id, environment_id, account_handle,"
                + " role, state, created_at, updated_at) VALUES ('alice', ?, 'h', 'MEMBER', 'ACTIVE', 0, 0)", env));
        installed.pin().set(PIN, null);
    }

    private DeletionRunner newRunner() {
        return new DeletionRunner(database, installed.holds(), installed.audit(), new ContentErasure(blobs),
                CHUNK, new SimpleMeterRegistry());
    }

    private String upload(String token, int size) {
        return content.upload(token, env, new ContentUpload(Surface.MEDIA, Set.of(), null),
                new ByteArrayInputStream(new byte[size])).join().id();
    }

    private long rows(String table) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    private List<String> files() throws IOException {
        return new StoredBlobs(database, home).ids();
    }

    private List<String> feed(String token) {
        return content.list(token, env, null, 100).items().stream().map(ContentObject::id).toList();
    }

    private DeletionJob step(String jobId) {
        assertTrue(runner.step(deletions.get(env, jobId)));
        return deletions.get(env, jobId);
    }

    @Test
    void aMembersJobCoversWhatItSentBeforeTheStartWhichVanishesFromEveryAnswerAtOnce() throws Exception {
        String large = upload(alice, INLINE * 3);
        String small = upload(alice, 10);
        String bobs = upload(bob, 20);

        DeletionJob job = deletions.start(env, DeletionScope.MEMBER, "alice", null);

        assertEquals(DeletionJob.State.RUNNING, job.state());
        assertEquals(2, job.objects());
        assertEquals(INLINE * 3 + 10, job.bytes());
        assertEquals(0, job.erased());
        assertEquals("alice", job.memberId());
        assertNull(job.receipt());
        assertEquals(List.of(bobs), feed(bob));
        assertThrows(NotFoundException.class, () -> content.read(bob, env, large));
        assertThrows(NotFoundException.class, () -> content.delete(alice, env, small));
        assertThrows(NotFoundException.class, () -> content.delete(env, large));
        assertEquals(1, content.statistics(env).total().objects());
        String later = upload(alice, 30);
        assertEquals(List.of(bobs, later), feed(bob), "stored after the start: not covered");
        assertEquals(4, rows("content_object"), "vanished, not yet erased");
        assertEquals(List.of(large), files());

        assertEquals(2, runner.run(), "one chunk, then the completion");
        assertEquals(List.of(bobs, later), feed(bob));
        assertEquals(2, rows("content_object"));
        assertEquals(List.of(), files());
        assertEquals(DeletionJob.State.COMPLETED, deletions.get(env, job.id()).state());
    }

    @Test
    void theWholeEnvironmentIsErasedInChunksWithProgressAndEndsWithAReceiptTheAuditChainSeals() throws Exception {
        for (int i = 0; i < 5; i++) {
            upload(i % 2 == 0 ? alice : bob, INLINE * 2 + i);
        }
        DeletionJob started = deletions.start(env, DeletionScope.ALL, null, PIN);
        assertEquals(5, started.objects());
        assertEquals(5, files().size());

        assertEquals(2, step(started.id()).erased());
        assertEquals(3, files().size(), "a chunk's files go once its rows are gone");
        assertEquals(4, step(started.id()).erased());
        DeletionJob last = step(started.id());
        assertEquals(5, last.erased());
        assertEquals(DeletionJob.State.RUNNING, last.state(), "completion is a transaction of its own");
        DeletionJob done = step(started.id());

        assertEquals(DeletionJob.State.COMPLETED, done.state());
        assertEquals(0, rows("content_object"));
        assertEquals(0, rows("content_recipient"));
        assertEquals(List.of(), files());
        DeletionReceipt receipt = done.receipt();
        assertEquals(new DeletionReceipt(started.id(), env, DeletionScope.ALL, null, 5, started.bytes(),
                started.requestedAt(), done.completedAt(), receipt.auditSequence(), receipt.auditHash()), receipt);
        AuditRecord seal = installed.audit().list(env, new PageRequest(null, 100)).items().stream()
                .filter(record -> record.sequence() == receipt.auditSequence()).findFirst().orElseThrow();
        assertEquals(receipt.auditHash(), seal.hash());
        assertEquals("content.deletion.complete", seal.entry().action());
        assertEquals(started.id(), seal.entry().target());
        assertEquals("system", seal.entry().actor());
        assertEquals(seal.recordedAt(), done.completedAt());
        assertTrue(installed.audit().verify().intact());
        assertFalse(runner.step(done), "a completed job is not run again");
    }

    @Test
    void aJobLeftRunningIsCompletedByTheNextInstanceOnTheSameDatabase() throws Exception {
        for (int i = 0; i < 5; i++) {
            upload(alice, INLINE + 1 + i);
        }
        String job = deletions.start(env, DeletionScope.MEMBER, "alice", null).id();
        step(job);

        DeletionRunner restarted = newRunner();
        new StoredDeletions(database, environments, installed.holds(), installed.pin(), restarted, clock);
        assertEquals(3, restarted.run(), "the two chunks left, then the completion");

        DeletionJob done = deletions.get(env, job);
        assertEquals(DeletionJob.State.COMPLETED, done.state());
        assertEquals(5, done.erased());
        assertEquals(List.of(), files());
        assertEquals(0, restarted.run());
    }

    @Test
    void aLegalHoldRefusesTheJobsItCoversAndStopsOnePlacedWhileItRuns() {
        upload(alice, INLINE * 2);
        upload(alice, INLINE * 2);
        upload(alice, INLINE * 2);
        upload(bob, 5);
        installed.holds().place(env, "alice", "Dispute", null, PIN);
        assertThrows(LegalHeldException.class, () -> deletions.start(env, DeletionScope.MEMBER, "alice", null));
        assertThrows(LegalHeldException.class, () -> deletions.start(env, DeletionScope.ALL, null, PIN),
                "all content includes alice's");
        DeletionJob bobs = deletions.start(env, DeletionScope.MEMBER, "bob", null);
        installed.holds().lift(env, "alice", PIN);
        DeletionJob alices = deletions.start(env, DeletionScope.MEMBER, "alice", null);
        assertEquals(2, step(alices.id()).erased());

        installed.holds().place(env, null, "Regulator", clock.instant().plus(Duration.ofHours(1)), PIN);
        assertThrows(LegalHeldException.class, () -> deletions.start(env, DeletionScope.MEMBER, "bob", null));
        assertFalse(runner.step(deletions.get(env, alices.id())));
        assertEquals(0, runner.run(), "both jobs wait while the environment is held");
        assertEquals(2, deletions.get(env, alices.id()).erased());
        assertEquals(2, rows("content_object"), "what the hold covers is kept");
        assertEquals(List.of(), feed(bob), "and stays out of every answer");

        clock.advance(Duration.ofHours(1));
        runner.run();
        assertEquals(DeletionJob.State.COMPLETED, deletions.get(env, alices.id()).state());
        assertEquals(DeletionJob.State.COMPLETED, deletions.get(env, bobs.id()).state());
        assertEquals(0, rows("content_object"));
    }

    @Test
    void aScopeWithoutItsMemberOrWithOneItDoesNotTakeOrAllWithoutThePinIsRefusedAndJobsAreTheirEnvironmentsOnly() {
        assertEquals("memberId", assertThrows(InvalidRequestException.class,
                () -> deletions.start(env, DeletionScope.MEMBER, null, null)).field());
        assertEquals("memberId", assertThrows(InvalidRequestException.class,
                () -> deletions.start(env, DeletionScope.ALL, "alice", PIN)).field());
        assertEquals("scope", assertThrows(InvalidRequestException.class,
                () -> deletions.start(env, null, null, null)).field());
        assertThrows(NotFoundException.class, () -> deletions.start("no-such-environment", DeletionScope.ALL, null,
                PIN));
        assertThrows(ForbiddenException.class, () -> deletions.start(env, DeletionScope.ALL, null, null));
        assertThrows(ForbiddenException.class, () -> deletions.start(env, DeletionScope.ALL, null, "000000"));
        assertEquals(0, rows("content_deletion"), "a refused start leaves no job");
        String job = deletions.start(env, DeletionScope.ALL, null, PIN).id();
        String other = environments.create(new NewEnvironment("Other office", null)).id();
        assertThrows(NotFoundException.class, () -> deletions.get(other, job));
        assertThrows(NotFoundException.class, () -> deletions.get(env, "no-such-job"));
        assertEquals(0, rows("content_object"));
    }

    @Test
    void aJobStartedInsideATransactionThatRollsBackLeavesNothing() {
        String kept = upload(alice, 10);
        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            deletions.start(env, DeletionScope.MEMBER, "alice", null);
            throw new IllegalStateException("the caller's own change failed");
        }));
        assertEquals(List.of(kept), feed(bob));
        assertEquals(0, rows("content_deletion"));
    }
}
