package io.enigm.server.environment;

/**
 * What the caller chooses for a new environment.
 *
 * @param name        display name, 1 to {@link #MAX_NAME_LENGTH} characters
 * @param regionLabel optional label, up to {@link #MAX_REGION_LABEL_LENGTH} characters
 */
public record NewEnvironment(String name, String regionLabel) {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_REGION_LABEL_LENGTH = 64;
}
