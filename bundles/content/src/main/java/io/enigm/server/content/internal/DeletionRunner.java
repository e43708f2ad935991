package io.enigm.server.content.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.content.DeletionJob;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;
import io.enigm.server.support.threads.TimedJob;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Erases what deletion jobs cover, on one background thread. Each transaction erases one chunk of
 * one job and commits the job's progress with it (bytes in files may outlive a crash right after it
 * as leftovers, which the content service removes at its next start); a job with nothing left
 * completes, in one transaction, with the audit record that seals its receipt. Jobs a stop or a
 * crash left running resume when the runner starts.
 *
 * <p>Before each chunk the runner asks whether a legal hold covers what the job erases (as its
 * start did). While one does, the job waits and erases nothing more: its objects stay out of every
 * answer, as they have been since the deletion was requested, and their rows and bytes are kept.
 * It resumes once the hold ends or is lifted, at the runner's next retry.
 */
final class DeletionRunner {

    static final String COMPLETE_ACTION = "content.deletion.complete";

    private static final Logger LOG = LoggerFactory.getLogger(DeletionRunner.class);

    private final Database database;
    private final LegalHolds holds;
    private final AuditLog audit;
    private final ContentErasure erasure;
    private final int chunk;
    private final ScheduledExecutorService thread;
    private final TimedJob runs;
    /** Until started, jobs wait for the start, which takes every running job. */
    private volatile boolean started;

    DeletionRunner(Database database, LegalHolds holds, AuditLog audit, ContentErasure erasure, int chunk,
            MeterRegistry meters) {
        this.database = database;
        this.runs = new TimedJob(meters, "content-deletion", this::run,
                e -> LOG.warn("Content deletion failed ({}); retrying on the next run", e.getClass().getName()));
        this.holds = holds;
        this.audit = audit;
        this.erasure = erasure;
        this.chunk = chunk;
        this.thread = DaemonThreads.scheduler("enigm-content-deletion");
    }

    /** Resumes the jobs left running now, and retries waiting ones every {@code retry}. */
    void start(Duration retry) {
        started = true;
        thread.scheduleWithFixedDelay(runs, 0, retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Has a newly started job erased soon, not at the next retry. */
    void wake() {
        if (!started) {
            return;
        }
        try {
            thread.execute(runs);
        } catch (RejectedExecutionException e) {
            // stopped: the job resumes when the runner starts again
        }
    }

    /** Stops between two transactions; what is left resumes at the next start. */
    void stop() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Content deletion runner still busy after 30 s; its job resumes at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes every running job as far as it can go now, one chunk of each in turn; answers how many
     * transactions that took. Jobs a legal hold covers are left waiting.
     */
    int run() {
        int steps = 0;
        boolean progressed;
        do {
            progressed = false;
            for (DeletionJob job : database.read(DeletionRows::running)) {
                if (Thread.currentThread().isInterrupted()) {
                    return steps;
                }
                if (step(job)) {
                    progressed = true;
                    steps++;
                }
            }
        } while (progressed);
        return steps;
    }

    /**
     * Erases one chunk of the job, or completes it; {@code false} while a legal hold covers it, and
     * once it has completed.
     */
    boolean step(DeletionJob job) {
        return database.inTransaction(handle -> {
            boolean running = DeletionRows.find(handle, job.environmentId(), job.id())
                    .filter(current -> current.state() == DeletionJob.State.RUNNING).isPresent();
            if (!running || holds.holdCovering(job.environmentId(), job.memberId()).isPresent()) {
                return false;
            }
            List<Long> covered = DeletionRows.covered(handle, job.id(), chunk);
            if (covered.isEmpty()) {
                // the system's record: the job's handle only, never what it erased
                AuditRecord seal = audit.append(new AuditEntry("system", null, job.environmentId(), COMPLETE_ACTION,
                        job.id(), AuditOutcome.ALLOWED, null));
                DeletionRows.completed(handle, job.id(), seal);
            } else {
                DeletionRows.progressed(handle, job.id(), erasure.erase(handle, covered));
            }
            return true;
        });
    }
}
