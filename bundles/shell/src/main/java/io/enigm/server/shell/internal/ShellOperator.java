package io.enigm.server.shell.internal;

/**
 * Who acts through the shell, in audit records: the operator of the local shell, whom the socket's
 * owner-only permissions identify as the server's own user; never a person's name.
 */
final class ShellOperator {

    static final String ACTOR = "operator:shell";
    static final String ROLE = "OPERATOR";

    private ShellOperator() {
    }
}
