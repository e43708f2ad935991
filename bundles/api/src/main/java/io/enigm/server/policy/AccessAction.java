package io.enigm.server.policy;

/** What a member's device asks to do. */
public enum AccessAction {
    OPEN_SESSION,
    RENEW_SESSION,
    UPLOAD_CONTENT,
    FETCH_CONTENT,
    ADD_DEVICE
}
