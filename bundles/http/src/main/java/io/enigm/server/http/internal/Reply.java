package io.enigm.server.http.internal;

/**
 * A successful answer.
 *
 * @param status   HTTP status
 * @param body     serialized as JSON, or {@code null} for no body
 * @param location the {@code Location} of a created thing, relative to {@code /api/v1}, or {@code null}
 */
record Reply(int status, Object body, String location) {

    static Reply ok(Object body) {
        return new Reply(200, body, null);
    }

    static Reply created(String location, Object body) {
        return new Reply(201, body, location);
    }

    static Reply noContent() {
        return new Reply(204, null, null);
    }
}
