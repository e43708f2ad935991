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
 */
record Access(Scope scope, Set<AdminRole> roles, CallerProof proof) {

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
