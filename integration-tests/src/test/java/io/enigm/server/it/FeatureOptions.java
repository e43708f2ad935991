package io.enigm.server.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.ops4j.pax.exam.Option;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Pax Exam options for the bundles of the feature descriptors, read from the list the feature
 * plugin resolved: the same list the runtime assembly uses.
 */
final class FeatureOptions {

    private static final String SYSTEM_PACKAGES_EXTRA = "org.osgi.framework.system.packages.extra";

    private FeatureOptions() {
    }

    static JsonNode list() {
        String file = System.getProperty("enigm.bundles.list");
        if (file == null) {
            throw new IllegalStateException("system property enigm.bundles.list is not set: run through Maven");
        }
        try {
            return Api.JSON.readTree(Path.of(file).toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Every bundle of the listed features, at its start order, plus what Pax Exam needs to run a test. */
    static Option[] core(Path home, int port) {
        JsonNode list = list();
        List<Option> options = new ArrayList<>();
        int highestLevel = 1;
        for (JsonNode bundle : list.path("bundles")) {
            int level = bundle.path("startOrder").asInt();
            highestLevel = Math.max(highestLevel, level);
            options.add(bundle("file:" + bundle.path("path").asText()).startLevel(level)
                    .start(bundle.path("start").asBoolean(true)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = list.path("frameworkProperties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            // Setting this property would replace Pax Exam's own list and the probe would not start.
            if (SYSTEM_PACKAGES_EXTRA.equals(property.getKey())) {
                options.add(systemPackages(Arrays.stream(property.getValue().asText().split(","))
                        .map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new)));
            } else {
                options.add(frameworkProperty(property.getKey()).value(property.getValue().asText()));
            }
        }
        options.add(frameworkStartLevel(highestLevel + 1));
        options.add(frameworkProperty("enigm.home").value(home.toString()));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(port)));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        // without a configuration Logback would print every DEBUG line of every bundle
        options.add(systemProperty("logback.configurationFile")
                .value(FeatureOptions.class.getResource("/logback-pax-exam.xml").toString()));
        options.add(junitBundles());
        return options.toArray(Option[]::new);
    }

    /**
     * {@link #core} keeping its data in a new database of the tests' PostgreSQL server instead of
     * the home's SQLite file, as a node of a scaled-out installation does.
     */
    static Option[] onPostgres(Path home, int port) {
        List<Option> options = new ArrayList<>(Arrays.asList(core(home, port)));
        options.add(frameworkProperty("enigm.database.url").value(PostgresNodes.newDatabase(home)));
        return options.toArray(Option[]::new);
    }

    static Path temporaryHome() {
        try {
            return Files.createTempDirectory("enigm-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
