package io.enigm.server.build.feature;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsBundlesInterpolatedWithStartOrder() throws IOException {
        Path f = dir.resolve("core.json");
        Files.writeString(f, """
                {"feature-resource-version":"1.0","id":"g:core:json:${project.version}",
                 "bundles":[{"id":"org.slf4j:slf4j-api:2.0.17","start-order":1},
                            {"id":"io.enigm.server:io.enigm.server.api:${project.version}","start-order":3},
                            {"id":"g:provider:1.0","start-order":4,"auto-start":false}],
                 "framework-properties":{"a.b":"c"}}
                """);
        FeatureReader.Feature feature = FeatureReader.read(f, Map.of("project.version", "1.2.3-SNAPSHOT")::get);

        assertEquals("core", feature.name());
        assertEquals("g:core:json:1.2.3-SNAPSHOT", feature.id());
        assertEquals(3, feature.bundles().size());
        FeatureBundle api = feature.bundles().get(1);
        assertEquals("io.enigm.server.api-1.2.3-SNAPSHOT.jar", api.coordinates().fileName());
        assertEquals(3, api.startOrder());
        assertTrue(api.start());
        assertFalse(feature.bundles().get(2).start());
        assertEquals("c", feature.frameworkProperties().get("a.b"));
    }

    @Test
    void refusesUnknownPlaceholderAndMissingStartOrder() throws IOException {
        Path unknown = dir.resolve("a.json");
        Files.writeString(unknown, "{\"feature-resource-version\":\"1.0\",\"id\":\"g:a:${nope}\",\"bundles\":[]}");
        assertThrows(IOException.class, () -> FeatureReader.read(unknown, k -> null));

        Path noOrder = dir.resolve("b.json");
        Files.writeString(noOrder, "{\"feature-resource-version\":\"1.0\",\"id\":\"g:b:1\",\"bundles\":[{\"id\":\"g:x:1\"}]}");
        assertThrows(IOException.class, () -> FeatureReader.read(noOrder, k -> null));
    }

    @Test
    void parsesTypeAndClassifier() {
        FeatureBundle.Coordinates c = FeatureBundle.Coordinates.parse("g:a:jar:linux:2");
        assertEquals("a-2-linux.jar", c.fileName());
        assertEquals("g:a:linux", c.key());
        assertThrows(IllegalArgumentException.class, () -> FeatureBundle.Coordinates.parse("g:a"));
    }

    @Test
    void escapesLikeProperties() {
        assertEquals("a\\=b", AssembleMojo.escape("a=b", true));
        assertEquals("C:\\\\x", AssembleMojo.escape("C:\\x", false));
    }
}
