package io.enigm.server.support.threads;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One run of a background job (a sweeper, a deletion runner), timed in {@value #METER} by job and
 * outcome. A failed run is handed to its owner to log and never ends the schedule it runs on.
 */
public final class TimedJob implements Runnable {

    public static final String METER = "enigm.job.runs";

    private final Runnable job;
    private final Consumer<RuntimeException> onFailure;
    private final Timer succeeded;
    private final Timer failed;

    public TimedJob(MeterRegistry meters, String name, Runnable job, Consumer<RuntimeException> onFailure) {
        this.job = job;
        this.onFailure = onFailure;
        this.succeeded = timer(meters, name, "succeeded");
        this.failed = timer(meters, name, "failed");
    }

    private static Timer timer(MeterRegistry meters, String name, String outcome) {
        return Timer.builder(METER).description("Runs of the server's background jobs, by job and outcome")
                .tag("job", name).tag("outcome", outcome).register(meters);
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            job.run();
            succeeded.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            onFailure.accept(e);
        }
    }
}
