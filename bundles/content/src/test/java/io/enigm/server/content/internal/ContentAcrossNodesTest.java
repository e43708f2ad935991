package io.enigm.server.content.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.content.ContentRead;
import io.enigm.server.content.ContentUpload;
import io.enigm.server.content.DeletionJob;
import io.enigm.server.content.DeletionScope;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.Surface;
import io.enigm.server.environment.internal.TestEnvironments;
import io.enigm.server.home.DataHome;
import io.enigm.server.membership.MemberState;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.store.internal.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Two nodes on one PostgreSQL database: what one stores, the other's followers are told of, and
 * its bytes, kept in the database, are read and erased from either.
 */
@EnabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql")
class ContentAcrossNodesTest {

    private static final int INLINE = 1024;
    private static final long MAX = 3L * DatabaseBlobs.CHUNK;
    private static final String INSTALLATION_KEY = "secrets/installation-key";

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    private final TestClock clock = new TestClock();
    private final SessionDouble sessions = new SessionDouble();
    private final MembersDouble members = new MembersDouble();
    private final List<Database> databases = new ArrayList<>();
    private final List<StoredContent> nodes = new ArrayList<>();
    private final List<TestEnvironments> installations = new ArrayList<>();
    private final List<Blobs> blobs = new ArrayList<>();
    private String env;
    private String alice;
    private String bob;

    @BeforeEach
    void start() throws IOException {
        String url = TestPostgres.shared().newDatabase();
        for (Path directory : List.of(homeA, homeB)) {
            DataHome home = TestDatabases.home(directory);
            Database database = TestDatabases.open(home, url);
            databases.add(database);
            if (env != null) {
                // the installation's secrets, which every node has
                Files.copy(homeA.resolve(INSTALLATION_KEY), directory.resolve(INSTALLATION_KEY));
            }
            TestEnvironments installed = TestEnvironments.install(home, database, clock, Duration.ofMillis(20));
            installations.add(installed);
            blobs.add(Blobs.of(database, home));
            if (env == null) {
                env = installed.environments().create(new NewEnvironment("Field office", null)).id();
            }
            nodes.add(new StoredContent(database, blobs.get(blobs.size() - 1), sessions, installed.environments(),
                    installed.holds(), members, installed.audit(), TestAuditLogs.idempotentAnswers(database, clock),
                    new ContentLimits(MAX, INLINE, Duration.ofMinutes(5), Duration.ofSeconds(1), 3, 3,
                            Duration.ofSeconds(1)), clock));
        }
        alice = sessions.session(env, members.add(env, "alice", MemberState.ACTIVE), "alice-phone");
        bob = sessions.session(env, members.add(env, "bob", MemberState.ACTIVE), "bob-phone");
    }

    @AfterEach
    void stop() throws Exception {
        for (StoredContent node : nodes) {
            node.stop();
        }
        for (Database database : databases) {
            ((AutoCloseable) database).close();
        }
    }

    private StoredContent a() {
        return nodes.get(0);
    }

    private StoredContent b() {
        return nodes.get(1);
    }

    private String upload(StoredContent node, Set<String> recipients, byte[] bytes) {
        return node.upload(alice, env, new ContentUpload(Surface.MEDIA, recipients, null),
                new ByteArrayInputStream(bytes)).join().id();
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

    @Test
    void aFollowerOnOneNodeGetsWhatAnotherStoredInOrderOnceAndCatchesUpAfterAGap() throws Exception {
        upload(a(), Set.of(), random(10));
        String cursor = b().list(bob, env, null, 50).cursor();
        String missed = upload(a(), Set.of("bob"), random(20));
        RecordingListener bobs = new RecordingListener();
        b().follow(bob, env, cursor, bobs);
        upload(a(), Set.of("alice"), random(30)); // not for bob
        String large = upload(a(), Set.of(), random(INLINE * 5));
        String fromB = upload(b(), Set.of(), random(40));
        assertEquals(List.of(missed, large, fromB), bobs.created(3));

        RecordingListener fromNow = new RecordingListener();
        b().follow(bob, env, null, fromNow);
        // every node's listener loses its connection: what is stored meanwhile is caught up with
        databases.get(0).inTransaction(handle -> handle.createQuery("SELECT pg_terminate_backend(pid) FROM"
                + " pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'")
                .mapToMap().list());
        Thread.sleep(300);
        String duringGap = upload(a(), Set.of(), random(50));
        assertEquals(List.of(duringGap), bobs.created(1));
        assertEquals(List.of(duringGap), fromNow.created(1));
        String afterGap = upload(a(), Set.of("bob"), random(60));
        assertEquals(List.of(afterGap), bobs.created(1));
        assertEquals(List.of(afterGap), fromNow.created(1));
        assertEquals(List.of(), bobs.rest(500), "nothing twice");
        assertEquals(List.of(), fromNow.rest(10), "nothing twice");
    }

    /** Node {@code i}'s deletion runner, erasing three objects a transaction; started by nobody. */
    private DeletionRunner runner(int i) {
        return new DeletionRunner(databases.get(i), installations.get(i).holds(), installations.get(i).audit(),
                new ContentErasure(blobs.get(i)), 3, new SimpleMeterRegistry());
    }

    private StoredDeletions deletions(int i, DeletionRunner runner) {
        TestEnvironments installed = installations.get(i);
        return new StoredDeletions(databases.get(i), installed.environments(), installed.holds(), installed.pin(),
                runner, clock);
    }

    private long completions() {
        return databases.get(1).read(handle -> handle.createQuery("SELECT COUNT(*) FROM audit_record WHERE action = '"
                + DeletionRunner.COMPLETE_ACTION + "'").mapTo(Long.class).one());
    }

    @Test
    void aDeletionJobANodeLeftIsCompletedByAnotherAndJobsRunByBothAreErasedAndSealedOnce() throws Exception {
        for (int i = 0; i < 7; i++) {
            upload(a(), Set.of(), random(INLINE * 2 + i));
        }
        DeletionRunner onA = runner(0);
        DeletionRunner onB = runner(1);
        StoredDeletions deletionsA = deletions(0, onA);
        StoredDeletions deletionsB = deletions(1, onB);
        String left = deletionsA.start(env, DeletionScope.MEMBER, "alice", null).id();
        assertTrue(onA.step(deletionsA.get(env, left)));
        // node A is gone after its first chunk; B's runner takes the job as far as it goes
        assertEquals(3, onB.run(), "the two chunks left, then the completion");
        DeletionJob done = deletionsA.get(env, left);
        assertEquals(DeletionJob.State.COMPLETED, done.state());
        assertEquals(7, done.erased());
        assertEquals(List.of(), new StoredBlobs(databases.get(0), null).ids());

        for (int i = 0; i < 12; i++) {
            upload(b(), Set.of(), random(INLINE * 2 + i));
        }
        String both = deletionsB.start(env, DeletionScope.MEMBER, "alice", null).id();
        ExecutorService nodesRunning = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> steps = nodesRunning.invokeAll(List.of(onA::run, onB::run));
            assertEquals(5, steps.get(0).get() + steps.get(1).get(), "four chunks and one completion, each once");
        } finally {
            nodesRunning.shutdownNow();
        }
        DeletionJob twice = deletionsB.get(env, both);
        assertEquals(DeletionJob.State.COMPLETED, twice.state());
        assertEquals(12, twice.erased(), "nothing counted twice");
        assertEquals(2, completions(), "each job sealed by one audit record");
        assertTrue(installations.get(0).audit().verify().intact());
    }

    @Test
    void largeBytesStoredOnOneNodeAreReadWholeAndInRangesOnTheOtherAndErasedFromEither() throws Exception {
        byte[] large = random(2 * DatabaseBlobs.CHUNK + 12_345);
        String id = upload(a(), Set.of("bob"), large);
        StoredBlobs chunks = new StoredBlobs(databases.get(1), null);
        assertEquals(List.of(id), chunks.ids());
        assertEquals(0, chunks.receiving());

        ContentRead onB = b().read(bob, env, id);
        assertEquals(a().read(alice, env, id).object().etag(), onB.object().etag());
        assertArrayEquals(large, readAll(onB, 0));
        long from = DatabaseBlobs.CHUNK - 10;
        assertArrayEquals(Arrays.copyOfRange(large, (int) from, large.length), readAll(onB, from),
                "from inside one chunk on into the next ones");
        try (InputStream in = onB.open(INLINE + 1)) {
            assertArrayEquals(Arrays.copyOfRange(large, INLINE + 1, INLINE + 101), in.readNBytes(100));
        }
        assertArrayEquals(new byte[0], readAll(onB, large.length));

        b().delete(alice, env, id);
        assertEquals(List.of(), chunks.ids());
        assertThrows(NotFoundException.class, () -> a().read(bob, env, id));
    }

    @Test
    void anUploadAbandonedForLongIsRemovedWithItsChunksAndCanNoLongerStoreItsObject() throws Exception {
        Database database = databases.get(0);
        DatabaseBlobs blobs = new DatabaseBlobs(database, clock);
        StoredBlobs chunks = new StoredBlobs(database, null);
        assertEquals(0, blobs.removeAbandoned());

        blobs.receive("crashed", new ByteArrayInputStream(random(INLINE * 3)), INLINE, MAX);
        blobs.receive("late", new ByteArrayInputStream(random(INLINE * 3)), INLINE, MAX);
        clock.advance(DatabaseBlobs.ABANDONED.minusSeconds(1));
        blobs.receive("recent", new ByteArrayInputStream(random(INLINE * 3)), INLINE, MAX);
        assertEquals(0, blobs.removeAbandoned(), "not yet abandoned");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(2, blobs.removeAbandoned());
        assertEquals(List.of("recent"), chunks.ids());
        assertEquals(1, chunks.receiving());

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> database.inTransaction(handle -> {
                    blobs.claim(handle, "late");
                    return null;
                }));
        assertTrue(refused.getMessage().contains("abandoned"));
        database.inTransaction(handle -> {
            blobs.claim(handle, "recent");
            return null;
        });
        assertEquals(0, chunks.receiving());
    }
}
