package io.enigm.server.shell.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The client {@code enigm-server shell} runs (plain Java, on nothing but the JDK; this class ships in
 * the shell bundle's jar, beside the server's end of the protocol):
 *
 * <pre>
 * java -cp io.enigm.server.shell-VERSION.jar io.enigm.server.shell.client.ShellClient SOCKET [COMMAND...]
 * </pre>
 *
 * With a command it runs that one command and exits 0 when it succeeded, 1 when it failed or the
 * server could not be reached; without, it reads commands line by line until end of input or
 * {@code exit}.
 */
public final class ShellClient {

    private static final String PROMPT = "enigm> ";

    private ShellClient() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ShellClient SOCKET [COMMAND...]");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            System.err.println("enigm-server shell: cannot reach the server's shell at " + socket + " (" + e.getMessage()
                    + "): is the server running with this data home?");
            System.exit(1);
            return;
        }
        try (channel) {
            BufferedReader answers = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            OutputStream requests = Channels.newOutputStream(channel);
            if (args.length > 1) {
                String command = String.join(" ", Arrays.asList(args).subList(1, args.length));
                System.exit(send(command, requests, answers, System.out) ? 0 : 1);
            }
            interact(requests, answers);
        }
    }

    private static void interact(OutputStream requests, BufferedReader answers) throws IOException {
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean prompt = System.console() != null;
        while (true) {
            if (prompt) {
                System.out.print(PROMPT);
                System.out.flush();
            }
            String line = input.readLine();
            if (line == null || line.strip().equals("exit")) {
                return;
            }
            send(line, requests, answers, System.out);
        }
    }

    /** Sends one command and prints its answer; whether it succeeded. */
    static boolean send(String command, OutputStream requests, BufferedReader answers, PrintStream out)
            throws IOException {
        requests.write((command.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
        requests.flush();
        String line;
        while ((line = answers.readLine()) != null) {
            if (!line.isEmpty() && line.charAt(0) == ShellProtocol.END) {
                out.flush();
                return line.substring(1).equals(ShellProtocol.OK);
            }
            out.println(line);
        }
        throw new IOException("the server closed the shell before answering");
    }
}
