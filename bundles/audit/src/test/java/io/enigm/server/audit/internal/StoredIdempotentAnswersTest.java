package io.enigm.server.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.work.IdempotentAnswers;
import io.enigm.server.work.RememberedAnswer;

/** Answers are remembered with the unit of work that made them, per scope, for a day, then swept. */
class StoredIdempotentAnswersTest {

    private static final byte[] HASH = {1, 2, 3};

    @TempDir
    Path home;
    private Database database;
    private TestClock clock;
    private StoredIdempotentAnswers answers;

    @BeforeEach
    void open() {
        database = TestDatabases.open(TestDatabases.home(home));
        clock = new TestClock();
        answers = new StoredIdempotentAnswers(database, clock);
    }

    private static RememberedAnswer answer(String id) {
        return new RememberedAnswer(HASH, 201, "/things/" + id, id, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private void remember(String scope, String key, RememberedAnswer answer) {
        database.inTransaction(handle -> {
            answers.remember(scope, key, answer);
            return null;
        });
    }

    private Optional<RememberedAnswer> recall(String scope, String key) {
        return database.inTransaction(handle -> answers.recall(scope, key));
    }

    private long rows() {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM idempotent_answer")
                .mapTo(Long.class).one());
    }

    @Test
    void anAnswerIsRecalledInItsScopeOnlyAsItWasGiven() {
        remember("tok1 POST /things", "k1", answer("a"));
        RememberedAnswer recalled = recall("tok1 POST /things", "k1").orElseThrow();
        assertEquals(201, recalled.status());
        assertEquals("/things/a", recalled.location());
        assertEquals("a", recalled.createdId());
        assertArrayEquals(answer("a").body(), recalled.body());
        assertTrue(recalled.answers(HASH));
        assertFalse(recalled.answers(new byte[] {1, 2, 4}));
        assertEquals(Optional.empty(), recall("tok2 POST /things", "k1"), "another caller's scope");
        assertEquals(Optional.empty(), recall("tok1 POST /things", "k2"));
    }

    @Test
    void anAnswerWithoutItsSecretKeepsNoBody() {
        remember("s", "k", new RememberedAnswer(HASH, 201, null, "tok9", null));
        assertNull(recall("s", "k").orElseThrow().body());
    }

    @Test
    void aUnitOfWorkThatFailsRemembersNothing() {
        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            answers.remember("s", "k", answer("a"));
            throw new IllegalStateException("the creation failed after all");
        }));
        assertEquals(Optional.empty(), recall("s", "k"));
        assertEquals(0, rows());
    }

    @Test
    void afterADayAnAnswerIsForgottenTheKeyStartsAfreshAndTheSweepDeletesOldAnswers() {
        remember("s", "old", answer("a"));
        remember("s", "reused", answer("b"));
        clock.advance(IdempotentAnswers.KEPT.minus(Duration.ofSeconds(1)));
        assertTrue(recall("s", "old").isPresent());
        remember("s", "young", answer("c"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), recall("s", "old"));
        remember("s", "reused", answer("d"));
        assertEquals("d", recall("s", "reused").orElseThrow().createdId());

        assertEquals(1, answers.sweep());
        assertEquals(2, rows(), "the young answer and the reused key's new one stay");
        assertEquals(0, answers.sweep());
    }

    @Test
    void aLongBacklogIsSweptInBatches() {
        database.inTransaction(handle -> {
            for (int i = 0; i < StoredIdempotentAnswers.BATCH + 3; i++) {
                answers.remember("s", "k" + i, answer("x" + i));
            }
            return null;
        });
        clock.advance(IdempotentAnswers.KEPT);
        assertEquals(StoredIdempotentAnswers.BATCH + 3, answers.sweep());
        assertEquals(0, rows());
    }
}
