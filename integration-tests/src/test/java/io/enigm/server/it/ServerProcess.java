package io.enigm.server.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The assembled distribution, started by {@code ./enigm-server} as a separate process on a loopback
 * port with its own data home, as an operator runs it; its output (stdout and stderr) is appended to
 * one log file across restarts.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final int port;
    private final Path log;
    private final String javaOptions;
    private final Path distribution;
    /** The command before the data home and port: the source tree's script, or a distribution's own launcher. */
    private final List<String> launcher;
    private final Api api;
    private Process process;

    /** {@code javaOptions}: extra JVM options (ENIGM_JAVA_OPTS), space-separated, or empty. */
    ServerProcess(Path home, String javaOptions) throws IOException {
        this(home, javaOptions, null);
    }

    /** The server of another built {@code distribution} (ENIGM_DIST), or of the project's when {@code null}. */
    ServerProcess(Path home, String javaOptions, Path distribution) throws IOException {
        this(home, javaOptions, distribution, List.of(System.getProperty("enigm.launcher"), "--no-build"));
    }

    /** The server of an unpacked archive, started by its own {@code bin/enigm-server}, as an operator with only the archive does. */
    static ServerProcess unpacked(Path distribution, Path home) throws IOException {
        return new ServerProcess(home, "", null, List.of(distribution.resolve("bin").resolve("enigm-server").toString()));
    }

    private ServerProcess(Path home, String javaOptions, Path distribution, List<String> launcher) throws IOException {
        this.home = home;
        this.launcher = launcher;
        this.port = Api.freePort();
        this.log = Files.createTempFile("enigm-server-", ".log");
        this.javaOptions = javaOptions;
        this.distribution = distribution;
        this.api = new Api(port);
    }

    Api api() {
        return api;
    }

    Path home() {
        return home;
    }

    int port() {
        return port;
    }

    /** Runs the launcher without waiting for anything: for a start that must be refused. */
    Process launch() throws IOException {
        return launch(List.of());
    }

    /** Runs the launcher with more {@code options} (TLS, logs) after the data home and port, without waiting. */
    Process launch(List<String> options) throws IOException {
        List<String> command = new ArrayList<>(this.launcher);
        command.addAll(List.of("--home", home.toString(), "--port", Integer.toString(port)));
        command.addAll(options);
        ProcessBuilder launcher = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        launcher.environment().put("ENIGM_JAVA_OPTS", javaOptions);
        if (distribution != null) {
            launcher.environment().put("ENIGM_DIST", distribution.toString());
        }
        process = launcher.start();
        return process;
    }

    /** Starts the server and waits for its health. */
    void start() throws IOException, InterruptedException {
        start(List.of());
    }

    /** Starts the server with more launcher {@code options} and waits for its health. */
    void start(List<String> options) throws IOException, InterruptedException {
        launch(options);
        if (!api.awaitHealthy(START_TIMEOUT)) {
            process.destroyForcibly();
            throw new AssertionError("not healthy within " + START_TIMEOUT + "; output:\n" + output());
        }
    }

    /**
     * Waits, as long as a start may take, for the Web Console: it is not a core service, so health
     * may answer before the console is registered.
     */
    void awaitConsole() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (api.get("/system/console/bundles", null).status() == 404) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no Web Console within " + START_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no checkpoint. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("not dead 30 s after SIGKILL");
        }
    }

    /** The server's JVM: the launcher script execs it, so the started process is the JVM itself. */
    long pid() {
        return process.pid();
    }

    /** A secret file's content, as the operator reads it. */
    String secret(String name) throws IOException {
        return Files.readString(home.resolve("secrets").resolve(name), StandardCharsets.UTF_8).strip();
    }

    /** Everything the server printed since its first start. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    Path log() {
        return log;
    }

    /**
     * SIGTERM, as an operator stops it, then SIGKILL if it does not exit within 30 s; whether it
     * exited by itself (or was not running).
     */
    boolean stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(30, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly();
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
