package io.enigm.server.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} package, initialised in a
 * temporary directory ({@code initdb}) and started on a free loopback port, once per JVM, stopped
 * and removed when the JVM exits. Run as root (CI), the server runs as the {@code postgres} user,
 * since PostgreSQL refuses to run as root. Each test gets a database of its own.
 */
public final class TestPostgres {

    /** The superuser the tests log in as, with a password (scram-sha-256), as production nodes do. */
    public static final String USER = "enigm";

    private static TestPostgres shared;

    private final Path directory;
    private final Path bin;
    private final int port;
    private final String password = UUID.randomUUID().toString();
    private final AtomicInteger databases = new AtomicInteger();

    private TestPostgres(Path directory, Path bin, int port) {
        this.directory = directory;
        this.bin = bin;
        this.port = port;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-postgres-stop"));
        }
        return shared;
    }

    /** A server of its own, which the caller stops (for tests that stop or restart it). */
    public static TestPostgres start() {
        try {
            Path bin = binaries();
            Path directory = Files.createTempDirectory("enigm-postgres-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            TestPostgres server = new TestPostgres(directory, bin, freePort());
            server.initialise();
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest installed PostgreSQL's programs; ENIGM_POSTGRES_BIN names others. */
    private static Path binaries() throws IOException {
        String configured = System.getenv("ENIGM_POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path installed = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> versions = Files.list(installed)) {
                List<Path> found = versions.map(version -> version.resolve("bin"))
                        .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                        .sorted(Comparator.comparing(candidate -> versionOf(candidate.getParent()))).toList();
                if (!found.isEmpty()) {
                    return found.get(found.size() - 1);
                }
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed: install Debian's postgresql package"
                + " (apt-get install postgresql), as .ci/run does, or set ENIGM_POSTGRES_BIN");
    }

    private static int versionOf(Path directory) {
        try {
            return Integer.parseInt(directory.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void initialise() throws IOException {
        Path passwordFile = directory.resolve("password");
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        if (root()) {
            UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(directory, users.lookupPrincipalByName("postgres"));
            Files.setOwner(passwordFile, users.lookupPrincipalByName("postgres"));
        }
        run(bin.resolve("initdb").toString(), "--pgdata=" + directory.resolve("data"), "--username=" + USER,
                "--pwfile=" + passwordFile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
                "--no-sync");
        Files.delete(passwordFile);
    }

    private void startServer() {
        run(bin.resolve("pg_ctl").toString(), "--pgdata=" + directory.resolve("data"), "--wait", "--timeout=60",
                "--log=" + directory.resolve("server.log"), "start", "--options="
                        + "-c listen_addresses=127.0.0.1 -c port=" + port
                        + " -c unix_socket_directories=" + directory
                        + " -c max_connections=300 -c shared_buffers=64MB -c fsync=on");
    }

    /** Stops the server at once (as a crash would) and removes its files. */
    public void stop() {
        try {
            run(bin.resolve("pg_ctl").toString(), "--pgdata=" + directory.resolve("data"), "--mode=immediate",
                    "--wait", "stop");
        } catch (RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** Runs a PostgreSQL program, as the postgres user when this JVM runs as root; fails with its output. */
    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (root()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** The JDBC URL of {@code database} on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates an empty database and returns its JDBC URL. */
    public String newDatabase() {
        String name = "test_" + databases.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return url(name);
    }

    /** Runs {@code sql} in the server's maintenance database. */
    public void execute(String sql) {
        try (Connection connection = dataSource(url("postgres")).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A data source logged in as the tests' superuser. */
    public PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(USER);
        dataSource.setPassword(password);
        return dataSource;
    }
}
