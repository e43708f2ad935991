package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * The bundle boundaries, read from the bundles the build ships: the distribution's bundle/
 * directory and the provider bundles. The api bundle holds contracts only, and the store's
 * Jdbi-speaking contract and Jdbi itself reach only the bundles that own tables.
 */
public class BundleBoundariesTest {

    private static final String STORE_CONTRACT = "io.enigm.server.store";

    /**
     * The bundles that may import the store's package or Jdbi. The store implements the package and
     * Jdbi is the Jdbi bundle; the others own tables (environment, membership, policy, attestation, content, webhook)
     * or the audit trail, and read and write them through the store's transactions in Jdbi's terms.
     * Every other bundle (api, http, console, the providers, any new one) reaches data through the
     * api's services only.
     */
    private static final Set<String> TABLE_OWNERS = Set.of("io.enigm.server.store", "io.enigm.server.jdbi",
            "io.enigm.server.audit", "io.enigm.server.environment", "io.enigm.server.membership",
            "io.enigm.server.policy", "io.enigm.server.attestation", "io.enigm.server.content",
            "io.enigm.server.webhook");

    /** Our bundles by symbolic name; fails unless the store's users and the bundles kept from it are all there. */
    private static Map<String, Path> ourBundles() throws IOException {
        Map<String, Path> bundles = new TreeMap<>();
        List<Path> jars = new ArrayList<>(jars(Path.of(System.getProperty("enigm.distribution"), "bundle")));
        try (Stream<Path> providers = Files.list(Path.of(System.getProperty("enigm.providers")))) {
            for (Path provider : (Iterable<Path>) providers::iterator) {
                jars.addAll(jars(provider.resolve("target")));
            }
        }
        for (Path jar : jars) {
            String name = symbolicName(jar);
            if (name.startsWith("io.enigm.server.")) {
                bundles.put(name, jar);
            }
        }
        for (String expected : List.of("io.enigm.server.api", "io.enigm.server.store", "io.enigm.server.http",
                "io.enigm.server.console", "io.enigm.server.provider.key")) {
            assertTrue("no " + expected + " among " + bundles.keySet(), bundles.containsKey(expected));
        }
        assertTrue(bundles.keySet().containsAll(TABLE_OWNERS));
        return bundles;
    }

    private static List<Path> jars(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".jar") && !file.toString().endsWith("-tests.jar"))
                    .toList();
        }
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String name = file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return name == null ? "" : name.split(";")[0].strip();
        }
    }

    /** The packages a bundle's manifest imports (bnd writes one package per clause). */
    private static List<String> importedPackages(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String header = file.getManifest().getMainAttributes().getValue("Import-Package");
            return header == null ? List.of()
                    : Arrays.stream(header.split(",(?=[a-z])")).map(clause -> clause.split(";")[0].strip()).toList();
        }
    }

    @Test
    public void onlyTheBundlesThatOwnTablesImportTheStoreOrJdbi() throws IOException {
        Predicate<String> storeOrJdbi = pkg -> pkg.equals(STORE_CONTRACT) || pkg.startsWith("org.jdbi.");
        Map<String, List<String>> offending = new TreeMap<>();
        for (Map.Entry<String, Path> bundle : ourBundles().entrySet()) {
            if (!TABLE_OWNERS.contains(bundle.getKey())) {
                List<String> imported = importedPackages(bundle.getValue()).stream().filter(storeOrJdbi).toList();
                if (!imported.isEmpty()) {
                    offending.put(bundle.getKey(), imported);
                }
            }
        }
        assertEquals("bundles that import the store's contract or Jdbi but own no tables", Map.of(), offending);
    }

    @Test
    public void theApiImportsNoDatabaseTechnology() throws IOException {
        List<String> imported = importedPackages(ourBundles().get("io.enigm.server.api")).stream()
                .filter(pkg -> pkg.startsWith("org.jdbi.") || pkg.equals("java.sql") || pkg.equals("javax.sql")
                        || pkg.equals(STORE_CONTRACT))
                .toList();
        assertEquals("the api bundle imports database technology", List.of(), imported);
    }

    @Test
    public void theApiHoldsContractsOnly() throws Exception {
        Path api = ourBundles().get("io.enigm.server.api");
        List<String> implementations = new ArrayList<>();
        // Loaded on their own, from the shipped jar: nothing of the test's class path answers for them.
        try (JarFile jar = new JarFile(api.toFile());
                URLClassLoader loader = new URLClassLoader(new URL[] {api.toUri().toURL()},
                        ClassLoader.getPlatformClassLoader())) {
            List<String> classes = jar.stream().map(entry -> entry.getName())
                    .filter(name -> name.endsWith(".class") && !name.endsWith("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
            assertTrue("no classes in " + api, classes.size() > 10);
            for (String name : classes) {
                try {
                    if (!isContract(Class.forName(name, false, loader))) {
                        implementations.add(name);
                    }
                } catch (LinkageError e) {
                    implementations.add(name + " (needs " + e.getMessage() + ", which is not in the api)");
                }
            }
        }
        assertEquals("classes in the api bundle that are not an interface, annotation, record, enum or exception",
                List.of(), implementations);
    }

    /** Interfaces and annotations, records, enums (with their constants' bodies) and exceptions. */
    private static boolean isContract(Class<?> type) {
        // Synthetic classes are the compiler's (switch maps), not ours.
        return type.isInterface() || type.isRecord() || type.isEnum() || type.isSynthetic()
                || (type.getSuperclass() != null && type.getSuperclass().isEnum())
                || Throwable.class.isAssignableFrom(type);
    }
}
