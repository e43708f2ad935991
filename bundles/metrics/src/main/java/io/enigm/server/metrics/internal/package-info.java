/** The Micrometer registry every bundle records into, and its Prometheus endpoint. */
package io.enigm.server.metrics.internal;
