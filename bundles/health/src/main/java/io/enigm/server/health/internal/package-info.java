/** The installation's health checks and the service that runs them. */
package io.enigm.server.health.internal;
