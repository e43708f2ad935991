/**
 * The operator's shell: Gogo commands in scope {@code enigm} that read through the api's services,
 * and the Unix domain socket under the data home that serves them to {@code enigm-server shell}.
 */
package io.enigm.server.shell.internal;
