package io.enigm.server.membership.internal;

import io.enigm.server.common.ConflictException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.EnvironmentState;

/** Which environments membership may be read or changed in. */
final class EnvironmentGate {

    private final EnvironmentService environments;

    EnvironmentGate(EnvironmentService environments) {
        this.environments = environments;
    }

    /**
     * An environment whose membership can be read; a deleted one is gone as far as membership goes.
     * Called before a read transaction rather than inside it, it is answered from the committed
     * environments in memory instead of the transaction's snapshot of the file.
     */
    Environment readable(String environmentId) {
        Environment environment = environments.get(environmentId);
        if (environment.state() == EnvironmentState.DELETED) {
            throw new NotFoundException("environment");
        }
        return environment;
    }

    /** An environment whose membership can change: only an active one. */
    Environment active(String environmentId) {
        Environment environment = readable(environmentId);
        if (environment.state() != EnvironmentState.ACTIVE) {
            throw new ConflictException("the environment is " + environment.state()
                    + "; membership changes need an ACTIVE environment");
        }
        return environment;
    }
}
