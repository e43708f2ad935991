package io.enigm.server.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;

/**
 * One device's server-sent event stream of new content ids ({@code GET …/content/events}), read
 * line by line as the shared client's selector hands lines over: no thread of its own. Notes when
 * the server said it follows, and when each object's id arrived ({@link System#nanoTime()}).
 */
final class FollowedStream implements Flow.Subscriber<String> {

    /** Told once per stream: it follows, or it never will. */
    interface Opening {
        void settled(FollowedStream stream);
    }

    private static final String FOLLOWING = ": following";
    private static final String DATA_ID = "data: {\"id\":\"";

    private final Opening opening;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private volatile boolean following;
    private volatile boolean ended;
    private volatile String failure;
    private volatile Flow.Subscription subscription;
    private boolean settled;

    private FollowedStream(Opening opening) {
        this.opening = opening;
    }

    /** Sends the request; the answer's lines come to the new stream. */
    static FollowedStream open(HttpClient client, URI events, String sessionToken, Opening opening) {
        FollowedStream stream = new FollowedStream(opening);
        HttpRequest request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + sessionToken).header("Accept", "text/event-stream").GET().build();
        client.sendAsync(request, info -> {
            if (info.statusCode() != 200) {
                stream.fail("status " + info.statusCode());
                return HttpResponse.BodySubscribers.replacing(null);
            }
            return HttpResponse.BodySubscribers.fromLineSubscriber(stream, line -> null, StandardCharsets.UTF_8, "\n");
        }).whenComplete((response, error) -> {
            if (error != null) {
                stream.fail(error.getClass().getSimpleName());
            }
        });
        return stream;
    }

    @Override
    public void onSubscribe(Flow.Subscription opened) {
        this.subscription = opened;
        opened.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (line.startsWith(DATA_ID)) {
            long now = System.nanoTime();
            arrivals.put(line.substring(DATA_ID.length(), line.indexOf('"', DATA_ID.length())), now);
        } else if (line.startsWith(FOLLOWING)) {
            following = true;
            settle();
        }
    }

    @Override
    public void onError(Throwable error) {
        fail(error.getClass().getSimpleName());
    }

    @Override
    public void onComplete() {
        ended = true;
        settle();
    }

    /** Whether it follows now: the server said so, and the stream has not ended. */
    boolean follows() {
        return following && !ended;
    }

    /** When the id arrived on this stream, or null if it has not. */
    Long arrival(String objectId) {
        return arrivals.get(objectId);
    }

    int arrivals() {
        return arrivals.size();
    }

    /** Why the stream failed, or null. */
    String failure() {
        return failure;
    }

    void close() {
        Flow.Subscription opened = subscription;
        if (opened != null) {
            opened.cancel();
        }
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        ended = true;
        settle();
    }

    private synchronized void settle() {
        if (!settled) {
            settled = true;
            opening.settled(this);
        }
    }
}
