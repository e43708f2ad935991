/**
 * The shell's client and its protocol: plain JDK classes, run from this bundle's jar by the
 * launcher's {@code shell} command; not exported, not used inside the framework except for the
 * protocol's constants.
 */
package io.enigm.server.shell.client;
