package io.enigm.server.health;

import org.osgi.annotation.versioning.ProviderType;

/** Runs the installation's health checks. */
@ProviderType
public interface InstallationHealth {

    /**
     * Runs every check of the installation now (core services, integrity, active providers), each
     * within its own time limit, results briefly cached: the detailed view, for administrators.
     */
    HealthReport check();

    /**
     * Runs only the core services' checks: whether the installation serves, for the public health
     * answer. Providers and integrity findings never decide it, so that nobody who can slow a
     * provider down takes the installation out of a load balancer.
     */
    HealthReport core();
}
