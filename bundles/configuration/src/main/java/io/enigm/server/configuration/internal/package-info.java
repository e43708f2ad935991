/** The guard that refuses invalid configurations of the server's bundles. */
package io.enigm.server.configuration.internal;
