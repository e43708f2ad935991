package io.enigm.server.shell.internal;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import org.apache.felix.gogo.runtime.CommandNotFoundException;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.shell.client.ShellProtocol;

/**
 * One client of the shell: its own Gogo session, which runs the lines the client sends one at a time
 * and answers each with the command's output and how it ended ({@link ShellProtocol}). Every
 * command is audited with the shell's operator as actor: which command ({@link CommandName}, never
 * its arguments) and whether it succeeded.
 */
final class ShellConnection implements Runnable {

    static final String ACTION = "shell.command";
    private static final Logger LOG = LoggerFactory.getLogger(ShellConnection.class);

    private final SocketChannel channel;
    private final CommandProcessor processor;
    private final AuditLog audit;

    ShellConnection(SocketChannel channel, CommandProcessor processor, AuditLog audit) {
        this.channel = channel;
        this.processor = processor;
        this.audit = audit;
    }

    @Override
    public void run() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (channel; CommandSession session = processor.createSession(InputStream.nullInputStream(), output, output)) {
            ShellOperator.mark(session);
            BufferedReader lines = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            OutputStream answers = Channels.newOutputStream(channel);
            String line;
            while ((line = lines.readLine()) != null) {
                boolean succeeded = line.isBlank() || run(session, line);
                session.getConsole().flush();
                String printed = output.toString(StandardCharsets.UTF_8);
                output.reset();
                answers.write((printed.isEmpty() || printed.endsWith("\n") ? printed : printed + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                answers.write(ShellProtocol.end(succeeded).getBytes(StandardCharsets.UTF_8));
                answers.flush();
            }
        } catch (IOException e) {
            LOG.debug("Operator shell: connection ended ({})", e.getClass().getName());
        }
    }

    /** Runs one line in the session, prints its result or why it failed; whether it succeeded. */
    private boolean run(CommandSession session, String line) {
        String command = CommandName.of(line);
        PrintStream console = session.getConsole();
        try {
            Object result = session.execute(line);
            if (result instanceof CharSequence text) {
                console.print(text);
            } else if (result != null) {
                console.println(session.format(result, Converter.INSPECT));
            }
            record(command, AuditOutcome.ALLOWED, null);
            return true;
        } catch (Exception e) {
            console.println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            boolean refused = e instanceof IllegalArgumentException || e instanceof CommandNotFoundException;
            record(command, AuditOutcome.FAILED, refused ? "INVALID_REQUEST" : "INTERNAL");
            if (!refused) {
                LOG.warn("Operator shell: {} failed ({})", command, e.getClass().getName());
            }
            return false;
        }
    }

    private void record(String command, AuditOutcome outcome, String category) {
        audit.append(new AuditEntry(ShellOperator.ACTOR, ShellOperator.ROLE, null, ACTION, command, outcome, category));
    }
}
