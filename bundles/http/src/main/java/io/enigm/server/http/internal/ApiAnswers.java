package io.enigm.server.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes the API's answers: JSON, JSON Lines or a problem document, at once or once the request's
 * write is durable; and reads away what is left of the request's body, so the connection stays.
 */
final class ApiAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAnswers.class);
    private static final String PROBLEM_JSON = "application/problem+json";

    private final ObjectMapper json;
    private final RequestBodies bodies;
    private final RequestMetrics metrics;

    ApiAnswers(ObjectMapper json, RequestBodies bodies, RequestMetrics metrics) {
        this.json = json;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    /** Answers with what {@code work} gives, or with the problem its failure is. */
    void answer(HttpServletRequest request, HttpServletResponse response, Supplier<Answer> work) throws IOException {
        secure(response);
        boolean later = false;
        try {
            Answer answer = work.get();
            if (answer.isReady() && answer.reply().body() instanceof EventStream stream) {
                // a stream's time is that of its opening, not of the hours it stays open
                stream.start(request, response);
                return;
            }
            if (!answer.isReady()) {
                later = true;
                answerWhenDurable(request, response, answer);
                return;
            }
            write(response, answer.reply());
        } catch (RuntimeException e) {
            writeProblem(response, Refusals.problem(e));
        } finally {
            if (!later) {
                // also when the client went away half-way
                metrics.answered(request, response);
            }
        }
        bodies.discardUnread(request, response);
    }

    /** Answers with the problem {@code failure} is. */
    void fail(HttpServletRequest request, HttpServletResponse response, RuntimeException failure)
            throws IOException {
        try {
            writeProblem(response, Refusals.problem(failure));
            bodies.discardUnread(request, response);
        } finally {
            metrics.answered(request, response);
        }
    }

    /**
     * Answers once the request's write is durable, without holding a thread meanwhile: the request
     * thread goes back to the container, and one of the container's threads writes the answer after
     * the commit. A thread parked per request, woken after each commit, had cost more than the
     * request's own work.
     */
    private void answerWhenDurable(HttpServletRequest request, HttpServletResponse response, Answer answer) {
        bodies.discardUnread(request, response);
        AsyncContext async = request.startAsync();
        // the writer completes or fails every queued piece of work, also when the database closes
        async.setTimeout(0);
        // on the writer thread: only hand over to the container
        answer.durable().whenComplete((reply, failure) -> async.start(() -> {
            try {
                if (failure == null) {
                    write(response, reply);
                } else {
                    writeProblem(response, refusal(answer, failure instanceof CompletionException completion
                            && completion.getCause() != null ? completion.getCause() : failure));
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("Answer not delivered: {}", Refusals.describe(e));
            } finally {
                metrics.answered(request, response);
                async.complete();
            }
        }));
    }

    /** The problem for a write that failed, once what the failure needs (its audit record) is done. */
    private static ApiProblem refusal(Answer answer, Throwable failure) {
        try {
            return answer.failed().apply(failure);
        } catch (RuntimeException e) {
            return Refusals.internalError(e);
        }
    }

    private void write(HttpServletResponse response, Reply reply) throws IOException {
        response.setStatus(reply.status());
        if (reply.location() != null) {
            response.setHeader("Location", ApiContext.PATH + reply.location());
        }
        if (reply.body() instanceof JsonLines lines) {
            response.setContentType(JsonLines.MEDIA_TYPE);
            // a failure half-way can only cut the answer short
            lines.writeTo(response.getOutputStream());
        } else if (reply.body() instanceof StreamedBytes bytes) {
            writeBytes(response, bytes);
        } else if (reply.body() != null) {
            response.setContentType(ApiJson.MEDIA_TYPE);
            json.writeValue(response.getOutputStream(), reply.body());
        }
    }

    /** Streams the bytes as they are, never more than announced; a failure half-way can only cut them short. */
    private static void writeBytes(HttpServletResponse response, StreamedBytes bytes) throws IOException {
        bytes.headers().forEach(response::setHeader);
        if (bytes.source() == null) {
            return;
        }
        response.setContentType(Route.Operation.BYTES);
        response.setContentLengthLong(bytes.length());
        try (InputStream in = bytes.source().open()) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long remaining = bytes.length();
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("the stored object ended early");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
    }

    private void writeProblem(HttpServletResponse response, ApiProblem problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        secure(response);
        response.setStatus(problem.status());
        problem.headers().forEach(response::setHeader);
        response.setContentType(PROBLEM_JSON);
        json.writeValue(response.getOutputStream(), Refusals.document(problem));
    }

    /** Nothing the API answers is cached, nor read as another type than it says. */
    private static void secure(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }
}
