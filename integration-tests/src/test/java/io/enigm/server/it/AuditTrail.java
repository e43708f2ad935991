package io.enigm.server.it;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the installation's audit log through {@code GET /audit} as an OWNER of its own, page by page
 * from where it last stopped, and leaves out the records of its own reads: what remains is what
 * everyone else caused since the previous read. It resumes after the last sequence number it saw:
 * the list's cursor is that number (the next page's cursor when there is one, and the position to
 * resume from when there is not).
 */
final class AuditTrail {

    private final Api api;
    private final String token;
    private final String tokenId;
    private long last;

    /** {@code tokenId} is the id of {@code ownerToken}: the actor its reads are recorded under. */
    AuditTrail(Api api, String ownerToken, String tokenId) {
        this.api = api;
        this.token = ownerToken;
        this.tokenId = tokenId;
        this.last = 0;
        next();
    }

    /** The records appended since the previous call, oldest first, without this trail's reads. */
    List<JsonNode> next() {
        List<JsonNode> records = new ArrayList<>();
        boolean more = true;
        while (more) {
            Api.Answer page = api.get("/api/v1/audit?limit=500&cursor=" + last, token);
            assertEquals(page.body(), 200, page.status());
            JsonNode items = page.json().path("items");
            for (JsonNode record : items) {
                last = record.path("sequence").asLong();
                if (!tokenId.equals(record.path("actor").asText(null))) {
                    records.add(record);
                }
            }
            more = page.json().path("next").isTextual();
        }
        return records;
    }
}
