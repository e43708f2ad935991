package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.store.Database;

/**
 * A write that the database refuses (here: the file may not grow, as on a full disk) is answered
 * with a 500 problem carrying a reference and no stack trace, never with a success, and the server
 * answers normally once the database accepts writes again. Covers writes and the audit records of
 * reads, both answered from the writer's commit.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WriteFailureIT extends ApiFrameworkTest {

    private static final int MAX_ATTEMPTS = 500;

    @Inject
    private AdminTokens tokens;
    @Inject
    private Database database;

    @Test
    public void aRefusedWriteIsA500ProblemAndNothingIsAcknowledged() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        long environmentsBefore = environments();
        setMaxPageCount(pageCount());
        try {
            Api.Answer refused = null;
            int created = 0;
            for (int attempt = 0; attempt < MAX_ATTEMPTS && refused == null; attempt++) {
                Api.Answer answer = api.post("/api/v1/environments", owner, "{\"name\":\"Filler " + attempt + "\"}");
                if (answer.status() == 201) {
                    created++;
                } else {
                    refused = answer;
                }
            }
            assertNotNull("the file filled up within " + MAX_ATTEMPTS + " environments", refused);
            assertTrue(refused.problem(500).path("detail").asText().contains("reference"));
            assertEquals("every acknowledged environment is stored, the refused one is not",
                    environmentsBefore + created, environments());
            Api.Answer read = api.get("/api/v1/environments?limit=1", owner);
            assertTrue(read.body(), read.status() == 500 || read.status() == 200);
            if (read.status() == 500) {
                read.problem(500);
            }
        } finally {
            setMaxPageCount(Integer.MAX_VALUE - 1L);
        }
        Api.Answer after = api.post("/api/v1/environments", owner, "{\"name\":\"After\"}");
        assertEquals(after.body(), 201, after.status());
        assertEquals(200, api.get("/api/v1/environments?limit=1", owner).status());
    }

    /**
     * An acknowledged write survives power loss only if its commit syncs the write-ahead log: the
     * store's default configuration must give the writer {@code synchronous=FULL} (2), not NORMAL (1),
     * which survives a killed process but not a lost machine.
     */
    @Test
    public void commitsAreDurableByDefault() {
        long synchronous = database.inTransaction(handle -> handle.createQuery("PRAGMA synchronous")
                .mapTo(Long.class).one());
        assertEquals("PRAGMA synchronous on the writer's connection (2 = FULL)", 2L, synchronous);
    }

    private long pageCount() {
        return database.read(handle -> handle.createQuery("PRAGMA page_count").mapTo(Long.class).one());
    }

    /** On the writer's connection, which is the one that grows the file. */
    private void setMaxPageCount(long pages) {
        database.inTransaction(handle -> handle.createQuery("PRAGMA max_page_count = " + pages)
                .mapTo(Long.class).one());
    }

    private long environments() {
        return Rows.count(database, "environment");
    }
}
