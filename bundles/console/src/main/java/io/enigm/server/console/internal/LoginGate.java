package io.enigm.server.console.internal;

import java.util.concurrent.Semaphore;
import java.util.function.LongSupplier;

/**
 * Bounds what password checks cost: one at a time, and after a wrong password none for a short
 * pause. A login that finds the gate closed is refused at once rather than queued, so a flood of
 * wrong passwords holds no threads and keeps PBKDF2 (about 0.1 s of CPU each) to a fraction of one
 * core, leaving the rest to the API.
 */
final class LoginGate {

    /** How long after a wrong password no password is checked. */
    static final long PAUSE_AFTER_FAILURE_NANOS = 500_000_000L;

    private final Semaphore checking = new Semaphore(1);
    private final LongSupplier nanoClock;
    private volatile long closedUntil;

    /** @param nanoClock {@link System#nanoTime()}, or a test's clock */
    LoginGate(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.closedUntil = nanoClock.getAsLong();
    }

    /** Enters if no check runs and no pause lasts; a caller that entered must {@link #leave} it. */
    boolean tryEnter() {
        if (nanoClock.getAsLong() - closedUntil < 0) {
            return false;
        }
        return checking.tryAcquire();
    }

    /** Leaves after a check; a wrong password closes the gate for {@link #PAUSE_AFTER_FAILURE_NANOS}. */
    void leave(boolean passwordMatched) {
        if (!passwordMatched) {
            closedUntil = nanoClock.getAsLong() + PAUSE_AFTER_FAILURE_NANOS;
        }
        checking.release();
    }
}
