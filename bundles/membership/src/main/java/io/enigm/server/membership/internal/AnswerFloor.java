package io.enigm.server.membership.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Holds a public answer until a floor after the request arrived. A real join request commits to
 * disk, an unknown one does not: with a floor configured, every answer waits for it, so the answer
 * time does not tell them apart. The JDK's timer holds it, not a sleeping thread.
 */
final class AnswerFloor {

    private AnswerFloor() {
    }

    static <T> CompletableFuture<T> hold(Duration floor, CompletableFuture<T> outcome, long startedNanos) {
        long floorNanos = floor.toNanos();
        if (floorNanos == 0) {
            return outcome;
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        outcome.whenComplete((value, failure) -> {
            long remaining = Math.max(0, floorNanos - (System.nanoTime() - startedNanos));
            CompletableFuture.delayedExecutor(remaining, TimeUnit.NANOSECONDS, Runnable::run).execute(() -> {
                if (failure == null) {
                    answer.complete(value);
                } else {
                    answer.completeExceptionally(failure);
                }
            });
        });
        return answer;
    }
}
