package io.enigm.server.build.feature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an OSGi feature descriptor (Compendium "Features" specification, resource version 1.0).
 * Only what the launcher needs is interpreted: bundles with their start order, framework
 * properties and configurations. {@code ${name}} placeholders are replaced by the given resolver
 * before parsing, so {@code ${project.version}} works anywhere in the file.
 */
public final class FeatureReader {

    /** Bundle metadata key of the spec's examples; our descriptors always set it. */
    static final String START_ORDER = "start-order";
    /** Our own bundle metadata: {@code false} installs the bundle without starting it. */
    static final String AUTO_START = "auto-start";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FeatureReader() {
    }

    public static Feature read(Path file, UnaryOperator<String> properties) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        String text = interpolate(Files.readString(file), properties, file);
        JsonNode root = MAPPER.readTree(text);
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        String version = root.path("feature-resource-version").asText("");
        if (!version.equals("1.0")) {
            throw new IOException(file + ": feature-resource-version must be \"1.0\", was \"" + version + "\"");
        }
        String id = root.path("id").asText("");
        if (id.isEmpty()) {
            throw new IOException(file + ": missing \"id\"");
        }

        List<FeatureBundle> bundles = new ArrayList<>();
        for (JsonNode b : root.path("bundles")) {
            String bundleId = b.isTextual() ? b.asText() : b.path("id").asText("");
            if (bundleId.isEmpty()) {
                throw new IOException(file + ": bundle entry without \"id\": " + b);
            }
            JsonNode order = b.path(START_ORDER);
            if (!order.canConvertToInt() && !(order.isTextual() && order.asText().matches("\\d+"))) {
                throw new IOException(file + ": bundle " + bundleId + " needs an integer \"" + START_ORDER + "\"");
            }
            boolean start = !b.has(AUTO_START) || b.path(AUTO_START).asBoolean(true);
            try {
                bundles.add(new FeatureBundle(name, FeatureBundle.Coordinates.parse(bundleId), order.asInt(), start));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }

        Map<String, String> frameworkProperties = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("framework-properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            frameworkProperties.put(e.getKey(), e.getValue().asText());
        }

        Map<String, ObjectNode> configurations = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("configurations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                throw new IOException(file + ": configuration " + e.getKey() + " must be a JSON object");
            }
            configurations.put(e.getKey(), (ObjectNode) e.getValue());
        }
        return new Feature(name, id, bundles, frameworkProperties, configurations);
    }

    static String interpolate(String text, UnaryOperator<String> properties, Path file) throws IOException {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = properties.apply(m.group(1));
            if (value == null) {
                throw new IOException(file + ": unknown property ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A parsed feature descriptor. */
    public record Feature(String name, String id, List<FeatureBundle> bundles,
                          Map<String, String> frameworkProperties, Map<String, ObjectNode> configurations) {
    }
}
