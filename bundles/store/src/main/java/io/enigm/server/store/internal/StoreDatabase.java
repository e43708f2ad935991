package io.enigm.server.store.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The installation's {@link Database}: the embedded SQLite file, or PostgreSQL when a database URL
 * is configured (or given to the launcher, which sets the framework property
 * {@value #URL_PROPERTY}).
 */
@Component(service = Database.class, configurationPid = StoreConfiguration.PID)
@Designate(ocd = StoreConfiguration.class)
public class StoreDatabase implements Database {

    /** The framework property the launcher's {@code --database-url} and ENIGM_DATABASE_URL set. */
    static final String URL_PROPERTY = "enigm.database.url";

    private final GroupCommitDatabase engine;
    private final Dialect dialect;

    @Activate
    public StoreDatabase(@Reference DataHome home, @Reference MeterRegistry meters, StoreConfiguration configuration,
            BundleContext context) {
        String url = configuration.url().isBlank() ? nullToEmpty(context.getProperty(URL_PROPERTY)) : configuration.url();
        this.dialect = Dialect.of(url);
        this.engine = dialect == Dialect.POSTGRESQL ? new PostgresDatabase(home, meters, configuration, url)
                : new SqliteDatabase(home, meters, configuration);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    /** The engine's dialect, for the store's own dialect-dependent services. */
    Dialect dialect() {
        return dialect;
    }

    @Deactivate
    void close() throws Exception {
        engine.close();
    }

    @Override
    public <R> R inTransaction(Work<R> work) {
        return engine.inTransaction(work);
    }

    @Override
    public <R> CompletableFuture<R> submit(Work<R> work) {
        return engine.submit(work);
    }

    @Override
    public boolean purgeDeleted() {
        return engine.purgeDeleted();
    }

    @Override
    public <R> R read(Work<R> work) {
        return engine.read(work);
    }

    @Override
    public void publish(String channel, String message) {
        engine.publish(channel, message);
    }

    @Override
    public AutoCloseable subscribe(String channel, Consumer<String> subscriber) {
        return engine.subscribe(channel, subscriber);
    }

    @Override
    public boolean sharedByNodes() {
        return engine.sharedByNodes();
    }

    @Override
    public long sharedWriteTransaction() {
        return engine.sharedWriteTransaction();
    }

    @Override
    public <R> R inTransactionBeside(Work<R> work) {
        return engine.inTransactionBeside(work);
    }

    @Override
    public boolean isInTransaction() {
        return engine.isInTransaction();
    }

    @Override
    public boolean inWriteTransaction() {
        return engine.inWriteTransaction();
    }

    @Override
    public void afterCommit(Runnable action) {
        engine.afterCommit(action);
    }

    @Override
    public void onRollback(Runnable action) {
        engine.onRollback(action);
    }
}
