package io.enigm.server.webhook.internal;

import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.enigm.server.membership.SecurityEvent;

/** The body a receiver gets: the batch's id and its events, as minimized as the pull feed's. */
final class EventBatches {

    private static final ObjectMapper JSON = new ObjectMapper();

    record EventView(String id, String environmentId, String category, String risk, String subjectHandle,
            String createdAt, long occurrences) {

        static EventView of(SecurityEvent event) {
            return new EventView(event.id(), event.environmentId(), event.category(), event.risk(),
                    event.subjectHandle(), event.createdAt().toString(), event.occurrences());
        }
    }

    record Body(String batch, List<EventView> events) {
    }

    private EventBatches() {
    }

    static String body(String batchId, List<SecurityEvent> events) {
        try {
            return JSON.writeValueAsString(new Body(batchId, events.stream().map(EventView::of).toList()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
