package io.enigm.server.shell.client;

/**
 * What the shell's client and the server say over the data home's Unix socket, in UTF-8 lines: the
 * client sends one command per line; the server answers with the command's output, then one line
 * that begins with {@link #END} and names how the command ended ({@link #OK} or {@link #FAILED}).
 * A NUL begins no line of text a command prints, so the end cannot be mistaken for output.
 */
public final class ShellProtocol {

    /** Under the data home: the socket, in a directory only the server's user may enter. */
    public static final String SOCKET = "run/shell.sock";
    public static final char END = '\0';
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    private ShellProtocol() {
    }

    /** The line that ends an answer. */
    public static String end(boolean succeeded) {
        return END + (succeeded ? OK : FAILED) + "\n";
    }
}
