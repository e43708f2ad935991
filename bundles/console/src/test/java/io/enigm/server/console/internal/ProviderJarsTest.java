package io.enigm.server.console.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderJarsTest {

    @TempDir
    Path distribution;

    @Test
    void theDeployDirectoryIsTheWatchedDirectoryNamedDeploy() {
        assertEquals(Path.of("/opt/enigm/deploy"), ProviderJars.deployDirectory("/opt/enigm/deploy,/opt/enigm/conf"));
        assertEquals(Path.of("/opt/enigm/deploy"), ProviderJars.deployDirectory("/opt/enigm/conf, /opt/enigm/deploy"));
        assertNull(ProviderJars.deployDirectory("/opt/enigm/conf"));
        assertNull(ProviderJars.deployDirectory(null));
    }

    @Test
    void listsTheShippedBundlesAndDeploysOnlyOneOfThemByName() throws IOException {
        Path shipped = Files.createDirectories(distribution.resolve("providers"));
        Path deploy = Files.createDirectories(distribution.resolve("deploy"));
        bundle(shipped.resolve("key.jar"), "io.enigm.server.provider.key;singleton:=true", "0.1.0");
        bundle(shipped.resolve("plain.jar"), null, null);
        Files.writeString(shipped.resolve("notes.txt"), "not a jar");
        bundle(distribution.resolve("outside.jar"), "io.enigm.outside", "1.0");
        ProviderJars jars = ProviderJars.of(distribution.toString(), deploy + "," + distribution.resolve("conf"));

        assertEquals(List.of(new ProviderJars.AvailableJar("key.jar", "io.enigm.server.provider.key", "0.1.0",
                "Bundle io.enigm.server.provider.key;singleton:=true")), jars.available(), "bundles only");
        for (String name : new String[] {"../outside.jar", "plain.jar", "notes.txt", "missing.jar", ""}) {
            assertEquals(Optional.empty(), jars.deploy(name), name);
        }
        assertEquals(List.of(), list(deploy), "nothing but a shipped bundle is copied");

        assertEquals("io.enigm.server.provider.key", jars.deploy("key.jar").orElseThrow().symbolicName());
        assertEquals(List.of("key.jar"), list(deploy), "the jar, whole, and no partial copy left");
        assertArrayEquals(Files.readAllBytes(shipped.resolve("key.jar")), Files.readAllBytes(deploy.resolve("key.jar")));
    }

    @Test
    void withoutAShippedProvidersDirectoryNothingIsAvailable() throws IOException {
        ProviderJars jars = ProviderJars.of(distribution.toString(), distribution.resolve("deploy").toString());

        assertFalse(jars.canDeploy());
        assertEquals(List.of(), jars.available());
        assertTrue(ProviderJars.of(null, null).available().isEmpty());
    }

    private static List<String> list(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static void bundle(Path file, String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            manifest.getMainAttributes().putValue("Bundle-Name", "Bundle " + symbolicName);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.closeEntry();
        }
    }
}
