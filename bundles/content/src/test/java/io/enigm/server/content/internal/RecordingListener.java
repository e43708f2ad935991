package io.enigm.server.content.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.enigm.server.content.ContentListener;

/** Records what a follow delivers, as a device's event stream would send it. */
final class RecordingListener implements ContentListener {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void created(String objectId, String cursor) {
        events.add(objectId);
    }

    @Override
    public void alive() {
        // only a sign of life
    }

    @Override
    public void ended() {
        events.add("ended");
    }

    /** The next {@code count} ids delivered (waiting for the events thread to deliver them). */
    List<String> created(int count) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        while (ids.size() < count) {
            String next = events.poll(10, TimeUnit.SECONDS);
            assertTrue(next != null, "delivered: " + ids);
            ids.add(next);
        }
        return ids;
    }

    /** Waits for the end, past what was delivered before it. */
    void awaitEnded() throws InterruptedException {
        String next;
        do {
            next = events.poll(10, TimeUnit.SECONDS);
            assertTrue(next != null, "the follow ended");
        } while (!next.equals("ended"));
    }

    /** What else arrives, until nothing has for {@code millis}. */
    List<String> rest(long millis) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (String next = events.poll(millis, TimeUnit.MILLISECONDS); next != null;
                next = events.poll(millis, TimeUnit.MILLISECONDS)) {
            ids.add(next);
        }
        return ids;
    }
}
