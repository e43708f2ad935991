package io.enigm.server.http.internal;

/** The JSON shapes of request bodies. Unknown fields are refused. */
final class Requests {

    private Requests() {
    }

    record CreateEnvironment(String name, String regionLabel) {
    }
}
