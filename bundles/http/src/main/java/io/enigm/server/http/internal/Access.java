package io.enigm.server.http.internal;

import java.util.EnumSet;
import java.util.Set;

import io.enigm.server.admin.AdminRole;

/**
 * Who may call a route. Deny by default: a route names every role it admits.
 *
 * @param scope where the caller's token must reach
 * @param roles the roles admitted; empty for {@link Scope#PUBLIC}
 */
record Access(Scope scope, Set<AdminRole> roles) {

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
    }

    static Access anyone() {
        return new Access(Scope.PUBLIC, Set.of());
    }

    static Access installation(AdminRole... roles) {
        return new Access(Scope.INSTALLATION, Set.of(roles));
    }

    static Access environment(AdminRole... roles) {
        return new Access(Scope.ENVIRONMENT, Set.of(roles));
    }

    static Access anyAdministrator() {
        return new Access(Scope.ANY_SCOPE, EnumSet.allOf(AdminRole.class));
    }

    boolean isAdministrative() {
        return scope != Scope.PUBLIC;
    }
}
