package io.enigm.server.console.internal;

import java.util.Optional;
import java.util.function.Consumer;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;

/**
 * The console's logins in the audit, and the operator each console request's thread serves, so
 * that a configuration change or a bundle installed through the console is audited with that
 * operator as its actor. The console runs a request's action on the thread that authenticated it;
 * every console request sets or clears the thread's operator before anything else, and nothing
 * outside the console changes configuration or bundles on the server's request threads.
 */
final class ConsoleLogins {

    static final String ACTION = "console.login";

    private final Consumer<AuditEntry> audit;
    private final ThreadLocal<String> operator = new ThreadLocal<>();

    ConsoleLogins(Consumer<AuditEntry> audit) {
        this.audit = audit;
    }

    /** A console request begins: until it authenticates, its thread serves nobody. */
    void requestBegins() {
        operator.remove();
    }

    /** The request authenticated as {@code user}. */
    void serving(String user) {
        operator.set(user);
    }

    Optional<String> operatorOnThisThread() {
        return Optional.ofNullable(operator.get());
    }

    /** A password was checked and matched: a new login, audited before it is let in. */
    void succeeded(String user) {
        audit.accept(new AuditEntry(actor(user), "OPERATOR", null, ACTION, null, AuditOutcome.ALLOWED, null));
    }

    /** Credentials were presented and refused; who tried is not known, so no actor. */
    void failed() {
        audit.accept(new AuditEntry(null, null, null, ACTION, null, AuditOutcome.DENIED, "AUTHENTICATION"));
    }

    static String actor(String user) {
        return "operator:" + user;
    }
}
