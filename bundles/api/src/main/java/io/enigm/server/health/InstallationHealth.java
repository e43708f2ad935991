package io.enigm.server.health;

import org.osgi.annotation.versioning.ProviderType;

/** Runs the installation's health checks. */
@ProviderType
public interface InstallationHealth {

    /**
     * Runs every check of the installation now (each within its own time limit, results briefly
     * cached so that frequent probes cost little).
     */
    HealthReport check();
}
