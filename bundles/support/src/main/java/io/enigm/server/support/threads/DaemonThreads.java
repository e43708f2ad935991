package io.enigm.server.support.threads;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The background threads of the server's sweepers, runners and flushers: one named daemon thread
 * each, so that a thread dump says whose it is and none keeps the framework from stopping.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A scheduler running its tasks one at a time on one daemon thread called {@code name}. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
