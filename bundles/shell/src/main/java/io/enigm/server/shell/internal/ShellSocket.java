package io.enigm.server.shell.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.shell.client.ShellProtocol;

/**
 * The operator's way into the Gogo shell: a Unix domain socket at {@code <home>/run/shell.sock}, in a
 * directory only the server's user may enter (0700), itself readable and writable by that user alone
 * (0600). Nothing listens on the network: whoever can connect could already read the data home. Each
 * connection gets its own Gogo session on a thread of its own ({@link ShellConnection}).
 */
@Component(service = {}, immediate = true)
public final class ShellSocket {

    private static final Logger LOG = LoggerFactory.getLogger(ShellSocket.class);

    private final Path socket;
    private final ServerSocketChannel server;
    private final CommandProcessor processor;
    private final AuditLog audit;
    private final AtomicInteger connections = new AtomicInteger();
    /** Closed when this component goes: a session must not outlive the services its commands use. */
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    @Activate
    public ShellSocket(BundleContext context, @Reference CommandProcessor processor, @Reference AuditLog audit) {
        this.processor = processor;
        this.audit = audit;
        this.socket = Path.of(home(context)).toAbsolutePath().resolve(ShellProtocol.SOCKET);
        try {
            Path directory = socket.getParent();
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            // tighten a directory made by hand or by an older version before anything is put in it
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            // a socket file left by a server that was killed: nothing listens on it any more
            Files.deleteIfExists(socket);
            this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            LOG.error("No operator shell: cannot listen on {} ({}: {})", socket, e.getClass().getName(), e.getMessage());
            throw new UncheckedIOException(e);
        }
        Thread accepting = new Thread(this::accept, "enigm-shell-accept");
        accepting.setDaemon(true);
        accepting.start();
        LOG.info("Operator shell on {} (enigm-server shell)", socket);
    }

    private static String home(BundleContext context) {
        String home = context.getProperty(BackupCommand.HOME);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("framework property " + BackupCommand.HOME + " is not set");
        }
        return home;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                open.add(channel);
                ShellConnection connection = new ShellConnection(channel, processor, audit);
                Thread session = new Thread(() -> {
                    try {
                        connection.run();
                    } finally {
                        open.remove(channel);
                    }
                }, "enigm-shell-" + connections.incrementAndGet());
                session.setDaemon(true);
                session.start();
            } catch (AsynchronousCloseException e) {
                return; // deactivated
            } catch (IOException e) {
                LOG.warn("Operator shell: a connection failed ({})", e.getClass().getName());
            }
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        for (SocketChannel channel : open) {
            channel.close();
        }
    }
}
