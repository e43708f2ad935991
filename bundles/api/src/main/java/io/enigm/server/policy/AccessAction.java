package io.enigm.server.policy;

/**
 * What a member's device asks to do. The content actions name the surface as their resource
 * category, in lower case ({@code messages}, {@code attachments}, {@code media}, {@code calls}).
 */
public enum AccessAction {
    OPEN_SESSION,
    RENEW_SESSION,
    UPLOAD_CONTENT,
    READ_CONTENT,
    DELETE_CONTENT,
    ADD_DEVICE
}
