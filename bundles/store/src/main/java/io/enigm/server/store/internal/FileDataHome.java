package io.enigm.server.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.home.DataHome;

/**
 * The data home named by the framework property {@value #HOME_PROPERTY}: created owner-only
 * (0700) with an owner-only secrets directory on first start. It holds the database, the secrets
 * and the configuration, so a home that other users may enter is refused: the component does not
 * start, and says what to change.
 */
@Component(service = DataHome.class)
public class FileDataHome implements DataHome {

    /** Framework property with the data home's path, set by the launcher. */
    public static final String HOME_PROPERTY = "enigm.home";

    private static final Logger LOG = LoggerFactory.getLogger(FileDataHome.class);
    private static final Pattern SECRET_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> OWNER_PERMISSIONS = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path directory;
    private final Path secrets;

    @Activate
    public FileDataHome(BundleContext context) {
        this(homeOf(context));
    }

    FileDataHome(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        this.secrets = this.directory.resolve("secrets");
        try {
            if (!Files.isDirectory(this.directory)) {
                Files.createDirectories(this.directory, OWNER_ONLY_DIRECTORY);
            }
            requireOwnerOnly(this.directory);
            if (!Files.isDirectory(secrets)) {
                Files.createDirectories(secrets, OWNER_ONLY_DIRECTORY);
            }
            // Tighten a directory created by hand or by an older version.
            Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data home " + this.directory, e);
        }
        LOG.info("Data home {}", this.directory);
    }

    /** Refuses a home that grants group or others anything: they could read secrets, or swap files. */
    private static void requireOwnerOnly(Path directory) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.stream().anyMatch(permission -> !OWNER_PERMISSIONS.contains(permission))) {
            String message = "the data home " + directory + " is open to other users ("
                    + PosixFilePermissions.toString(permissions) + "); it holds the database and the secrets."
                    + " Make it owner-only (chmod -R go-rwx " + directory + ") and start again";
            LOG.error("Refusing to start: {}", message);
            throw new IllegalStateException(message);
        }
    }

    private static Path homeOf(BundleContext context) {
        String home = context.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("framework property " + HOME_PROPERTY + " is not set");
        }
        return Path.of(home);
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Path secrets() {
        return secrets;
    }

    @Override
    public Optional<byte[]> readSecret(String name) {
        Path file = secretFile(name);
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret " + name, e);
        }
    }

    @Override
    public synchronized Path writeSecret(String name, byte[] secret) {
        Path file = secretFile(name);
        try {
            Path temporary = Files.createTempFile(secrets, "." + name, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(secret));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write secret " + name, e);
        }
    }

    private Path secretFile(String name) {
        if (!SECRET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad secret name");
        }
        return secrets.resolve(name);
    }
}
