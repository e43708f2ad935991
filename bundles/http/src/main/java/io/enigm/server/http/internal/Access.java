package io.enigm.server.http.internal;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.enigm.server.admin.AdminRole;

/**
 * Who may call a route and how the caller proves itself. Deny by default: a route names every role
 * it admits.
 *
 * @param scope where the caller's token must reach
 * @param roles the roles admitted; empty for {@link Scope#PUBLIC}
 * @param proof how the caller proves itself: the admin token for every administrative route
 * @param admitsSession whether a member's device may call an administrative route with its session token
 *                      instead, the service then deciding what that device may do (e.g. delete what it sent)
 */
record Access(Scope scope, Set<AdminRole> roles, CallerProof proof, boolean admitsSession) {

    enum Scope {
        /** Anyone, without a token. */
        PUBLIC,
        /** Administrators of the whole installation. */
        INSTALLATION,
        /** Administrators whose token reaches the environment named by the path's {@code {env}}. */
        ENVIRONMENT,
        /** Any administrator; the handler narrows what it shows to the caller's scope. */
        ANY_SCOPE
    }

    Access {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        if ((scope == Scope.PUBLIC) == (Objects.requireNonNull(proof) == CallerProof.ADMIN_TOKEN)) {
            throw new IllegalArgumentException("the admin token is the proof of exactly the administrative routes");
        }
        if (admitsSession && scope != Scope.ENVIRONMENT) {
            throw new IllegalArgumentException("a session reaches only the routes of its own environment");
        }
    }

    Access(Scope scope, Set<AdminRole> roles, CallerProof proof) {
        this(scope, roles, proof, false);
    }

    /** The same administrators, or a member's device with its session token. */
    Access orSession() {
        return new Access(scope, roles, proof, true);
    }

    /** Anyone, with no proof at all. */
    static Access anyone() {
        return provenBy(CallerProof.NONE);
    }

    /** A caller without an admin token who proves itself as {@code proof} says; the service checks the proof. */
    static Access provenBy(CallerProof proof) {
        return new Access(Scope.PUBLIC, Set.of(), proof);
    }

    static Access installation(AdminRole... roles) {
        return new Access(Scope.INSTALLATION, Set.of(roles), CallerProof.ADMIN_TOKEN);
    }

    static Access environment(AdminRole... roles) {
        return new Access(Scope.ENVIRONMENT, Set.of(roles), CallerProof.ADMIN_TOKEN);
    }

    /** Administrators of any scope in {@code roles}; the handler narrows what it shows to the caller's scope. */
    static Access anyScope(AdminRole... roles) {
        return new Access(Scope.ANY_SCOPE, Set.of(roles), CallerProof.ADMIN_TOKEN);
    }

    static Access anyAdministrator() {
        return anyScope(AdminRole.values());
    }

    boolean isAdministrative() {
        return scope != Scope.PUBLIC;
    }
}
