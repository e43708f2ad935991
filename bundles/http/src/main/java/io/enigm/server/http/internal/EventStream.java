package io.enigm.server.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.content.ContentListener;
import io.enigm.server.content.ContentSubscription;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A server-sent event stream of new content ids, held without a thread: the request goes async,
 * events are queued as they come and written with non-blocking output whenever the connection can
 * take them. Each event's id is the cursor to resume after ({@code Last-Event-ID}). A connection
 * that falls too far behind, or whose client is gone, is closed and its subscription with it.
 */
final class EventStream implements ContentListener, WriteListener, AsyncListener {

    static final String MEDIA_TYPE = "text/event-stream";
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    /** Frames a slow client may leave unread before its stream is closed. */
    private static final int MAX_PENDING = 1024;
    private static final int STREAM_BUFFER_BYTES = 512;

    private final Queue<byte[]> pending = new ArrayDeque<>();
    private ContentSubscription subscription;
    private AsyncContext async;
    private ServletOutputStream out;
    private boolean flush;
    private boolean ending;
    private boolean closed;

    /** The subscription this stream delivers; closed with the stream. */
    synchronized void follow(ContentSubscription followed) {
        this.subscription = followed;
    }

    /** Answers the request with the stream: headers now, events as they come. */
    synchronized void start(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        async = request.startAsync();
        async.setTimeout(0);
        async.addListener(this);
        // A frame is a few dozen bytes: the container's default buffer (tens of KiB of direct memory)
        // held by each of thousands of open streams would be most of what they cost.
        response.setBufferSize(STREAM_BUFFER_BYTES);
        out = response.getOutputStream();
        pending.add(": following\n\n".getBytes(StandardCharsets.UTF_8));
        out.setWriteListener(this);
    }

    @Override
    public synchronized void created(String objectId, String cursor) {
        queue("id: " + cursor + "\nevent: content\ndata: {\"id\":\"" + objectId + "\"}\n\n");
    }

    @Override
    public synchronized void alive() {
        queue(": alive\n\n");
    }

    @Override
    public synchronized void ended() {
        queue("event: end\ndata: {}\n\n");
        ending = true;
        drain();
    }

    private void queue(String frame) {
        if (closed) {
            return;
        }
        if (pending.size() >= MAX_PENDING) {
            LOG.debug("An event stream fell behind and is closed");
            close();
            return;
        }
        pending.add(frame.getBytes(StandardCharsets.UTF_8));
        drain();
    }

    @Override
    public synchronized void onWritePossible() {
        drain();
    }

    /** Writes what the connection takes now; the container calls back when it takes more. */
    private void drain() {
        if (out == null || closed) {
            return;
        }
        try {
            while (out.isReady()) {
                if (flush) {
                    flush = false;
                    out.flush();
                    continue;
                }
                byte[] next = pending.poll();
                if (next == null) {
                    if (ending) {
                        close();
                    }
                    return;
                }
                out.write(next);
                flush = true;
            }
        } catch (IOException | IllegalStateException e) {
            close();
        }
    }

    @Override
    public synchronized void onError(Throwable failure) {
        close();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        closeSubscription();
    }

    @Override
    public synchronized void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public synchronized void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // the stream's own start
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.clear();
        closeSubscription();
        if (async != null) {
            async.complete();
        }
    }

    private synchronized void closeSubscription() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }
}
