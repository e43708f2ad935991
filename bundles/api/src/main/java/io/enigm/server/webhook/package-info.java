/**
 * The Enigm Intelligence webhook: batches of minimized security events pushed to configured URLs
 * from a durable outbox, and the batches that could not be delivered.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.enigm.server.webhook;
