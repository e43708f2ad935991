package io.enigm.server.build.feature;

import java.util.Objects;

/**
 * One bundle entry of a feature descriptor, after interpolation.
 *
 * @param feature    short name of the feature that lists it (the descriptor's file name without {@code .json})
 * @param coordinates Maven coordinates as the feature spec writes them: {@code g:a[:type[:classifier]]:v}
 * @param startOrder  framework start level; 1 is reserved for logging, see features/core.json
 * @param start       whether the launcher starts the bundle, or only installs it
 */
public record FeatureBundle(String feature, Coordinates coordinates, int startOrder, boolean start) {

    public FeatureBundle {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(coordinates, "coordinates");
        if (startOrder < 1) {
            throw new IllegalArgumentException("start-order must be at least 1 for " + coordinates + ", was " + startOrder);
        }
    }

    /** Maven coordinates in the OSGi feature format {@code groupId:artifactId[:type[:classifier]]:version}. */
    public record Coordinates(String groupId, String artifactId, String type, String classifier, String version) {

        public static Coordinates parse(String id) {
            String[] p = id.trim().split(":", -1);
            for (String part : p) {
                if (part.isEmpty()) {
                    throw new IllegalArgumentException("Empty part in bundle id '" + id + "'");
                }
            }
            return switch (p.length) {
                case 3 -> new Coordinates(p[0], p[1], "jar", "", p[2]);
                case 4 -> new Coordinates(p[0], p[1], p[2], "", p[3]);
                case 5 -> new Coordinates(p[0], p[1], p[2], p[3], p[4]);
                default -> throw new IllegalArgumentException(
                        "Bundle id '" + id + "' is not groupId:artifactId[:type[:classifier]]:version");
            };
        }

        /** groupId:artifactId, the key under which one bundle may appear only once. */
        public String key() {
            return groupId + ":" + artifactId + (classifier.isEmpty() ? "" : ":" + classifier);
        }

        /** The file name the bundle gets in the output directory. */
        public String fileName() {
            return artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + "." + type;
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + (classifier.isEmpty() ? (type.equals("jar") ? "" : type + ":")
                    : type + ":" + classifier + ":") + version;
        }
    }
}
