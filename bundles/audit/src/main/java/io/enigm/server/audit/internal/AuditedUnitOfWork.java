package io.enigm.server.audit.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.store.Database;
import io.enigm.server.work.UnitOfWork;

/**
 * Units of work as write transactions of the store: the operation's writes and its audit record
 * commit together on the store's one writer, and the store completes the future once the commit is
 * durable (group commit keeps that cheap under load).
 */
@Component(service = UnitOfWork.class)
public class AuditedUnitOfWork implements UnitOfWork {

    private final Database database;
    private final AuditLog audit;

    @Activate
    public AuditedUnitOfWork(@Reference Database database, @Reference AuditLog audit) {
        this.database = database;
        this.audit = audit;
    }

    @Override
    public <R> CompletableFuture<R> submit(Supplier<R> operation, Function<? super R, AuditEntry> record) {
        return database.submit(handle -> audited(operation, record));
    }

    @Override
    public <R> R run(Supplier<R> operation, Function<? super R, AuditEntry> record) {
        return database.inTransaction(handle -> audited(operation, record));
    }

    private <R> R audited(Supplier<R> operation, Function<? super R, AuditEntry> record) {
        R result = operation.get();
        audit.append(record.apply(result));
        return result;
    }

    @Override
    public void probe() {
        database.read(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
    }
}
