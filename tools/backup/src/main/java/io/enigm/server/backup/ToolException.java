package io.enigm.server.backup;

/** A refusal or failure to tell the operator in one line; the tool exits 1. */
final class ToolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ToolException(String message) {
        super(message);
    }

    ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
