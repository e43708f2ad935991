package io.enigm.server.work;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import io.enigm.server.audit.AuditEntry;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An administrative operation and its audit record as one durable unit (DESIGN invariants 2 and 8):
 * both are kept or neither is, and the caller learns the result only once both are durable.
 *
 * <p>The operation runs where the installation serializes its writes. It may call any service
 * whose writes join the unit (every domain service does), and it must not wait on anything slow: a
 * slow derivation, a provider, the network. Do that before, and hand the unit only what is left.
 */
@ProviderType
public interface UnitOfWork {

    /**
     * Queues {@code operation} and then the record {@code audit} makes of its result, without
     * waiting: the future completes with the result once both are durable, or fails with what the
     * operation threw (nothing of it kept). Dependent actions of the future run where the writes are
     * serialized, so they must only hand off (for example to an HTTP container's threads).
     */
    <R> CompletableFuture<R> submit(Supplier<R> operation, Function<? super R, AuditEntry> audit);

    /** As {@link #submit}, waiting for the unit to be durable; throws what the operation threw. */
    <R> R run(Supplier<R> operation, Function<? super R, AuditEntry> audit);

    /**
     * Checks that the store answers a read now, for health reporting.
     *
     * @throws RuntimeException when it does not
     */
    void probe();
}
