package io.enigm.server.shell.internal;

import java.util.regex.Pattern;

/**
 * The name of the command a shell line runs, for its audit record: the first word when it looks like
 * a command's name ({@code scope:function} or {@code function}); never the arguments, which may name
 * paths or values an operator typed.
 */
final class CommandName {

    private static final Pattern NAME = Pattern.compile("([a-z][a-z0-9-]*:)?[a-z][a-z0-9-]*", Pattern.CASE_INSENSITIVE);
    static final String OTHER = "other";

    private CommandName() {
    }

    static String of(String line) {
        String first = line.strip().split("\\s+", 2)[0];
        return first.length() <= 64 && NAME.matcher(first).matches() ? first : OTHER;
    }
}
