package io.enigm.server.console.internal;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginGateTest {

    @Test
    void oneCheckAtATimeAndAPauseAfterAWrongPassword() {
        AtomicLong now = new AtomicLong(1_000);
        LoginGate gate = new LoginGate(now::get);

        assertTrue(gate.tryEnter());
        assertFalse(gate.tryEnter(), "a second check while one runs");
        gate.leave(true);
        assertTrue(gate.tryEnter(), "no pause after the right password");
        gate.leave(false);
        assertFalse(gate.tryEnter(), "paused after a wrong password");
        now.addAndGet(LoginGate.PAUSE_AFTER_FAILURE_NANOS - 1);
        assertFalse(gate.tryEnter());
        now.incrementAndGet();
        assertTrue(gate.tryEnter(), "open again once the pause is over");
        gate.leave(true);
    }
}
