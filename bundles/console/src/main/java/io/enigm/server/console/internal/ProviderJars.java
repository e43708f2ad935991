package io.enigm.server.console.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The provider bundles the distribution ships but does not run ({@code <enigm.dist>/providers}), and
 * how one is deployed: copied into the directory Felix FileInstall watches for bundles
 * ({@code deploy/}), which installs and starts it as if the operator had copied it there.
 */
final class ProviderJars {

    /** The framework property naming the directories FileInstall watches, comma-separated. */
    static final String WATCHED_DIRECTORIES = "felix.fileinstall.dir";
    static final String DISTRIBUTION = "enigm.dist";

    /** A provider bundle the distribution ships, by its jar's file name and manifest. */
    record AvailableJar(String fileName, String symbolicName, String version, String name) {
    }

    private final Path available;
    private final Path deploy;

    /** @param available the shipped providers' directory, or null; @param deploy the watched bundle directory, or null */
    ProviderJars(Path available, Path deploy) {
        this.available = available;
        this.deploy = deploy;
    }

    /** From the framework properties the launcher sets ({@value #DISTRIBUTION}, {@value #WATCHED_DIRECTORIES}). */
    static ProviderJars of(String distribution, String watchedDirectories) {
        Path shipped = distribution == null || distribution.isBlank() ? null
                : Path.of(distribution).resolve("providers");
        return new ProviderJars(shipped != null && Files.isDirectory(shipped) ? shipped : null,
                deployDirectory(watchedDirectories));
    }

    /** Of the directories FileInstall watches, the one named {@code deploy}; null when there is none. */
    static Path deployDirectory(String watchedDirectories) {
        if (watchedDirectories == null) {
            return null;
        }
        for (String directory : watchedDirectories.split(",")) {
            Path path = Path.of(directory.strip());
            if (path.getFileName() != null && path.getFileName().toString().equals("deploy")) {
                return path;
            }
        }
        return null;
    }

    boolean canDeploy() {
        return available != null && deploy != null && Files.isDirectory(deploy);
    }

    /** The bundles in the shipped providers' directory, by file name; jars without a bundle manifest are left out. */
    List<AvailableJar> available() throws IOException {
        List<AvailableJar> jars = new ArrayList<>();
        if (available == null) {
            return jars;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(available, "*.jar")) {
            for (Path file : files) {
                read(file).ifPresent(jars::add);
            }
        }
        jars.sort(Comparator.comparing(AvailableJar::fileName));
        return jars;
    }

    private static Optional<AvailableJar> read(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Attributes main = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes();
            String symbolicName = main == null ? null : main.getValue("Bundle-SymbolicName");
            if (symbolicName == null) {
                return Optional.empty();
            }
            return Optional.of(new AvailableJar(file.getFileName().toString(), symbolicName.split(";")[0].strip(),
                    main.getValue("Bundle-Version"), main.getValue("Bundle-Name")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Copies the shipped jar named {@code fileName} into {@code deploy/}: only a name {@link #available}
     * lists, so nothing outside that directory can be named. It appears there whole (copied under a
     * name FileInstall ignores, then renamed), so FileInstall never installs half a jar.
     *
     * @return the jar deployed, or empty when no shipped jar has that name
     */
    Optional<AvailableJar> deploy(String fileName) throws IOException {
        if (!canDeploy()) {
            return Optional.empty();
        }
        Optional<AvailableJar> jar = available().stream().filter(candidate -> candidate.fileName().equals(fileName))
                .findFirst();
        if (jar.isPresent()) {
            Path target = deploy.resolve(jar.get().fileName());
            Path partial = deploy.resolve("." + jar.get().fileName() + ".partial");
            Files.copy(available.resolve(jar.get().fileName()), partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return jar;
    }
}
