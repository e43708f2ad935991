package io.enigm.server.membership.internal;

import java.util.concurrent.atomic.AtomicLong;

import io.enigm.server.store.Database;
import io.enigm.server.store.KeyedRead;

/**
 * Used nonces in the database, for the nodes of an installation on one shared database: a nonce
 * one node accepted is refused by every other. The first use inserts the nonce's row in a write
 * transaction of its own; a second finds it there (the primary key), on whichever node it arrives.
 * Expired rows are deleted about once a lifetime, by whichever node comes first.
 */
final class StoredNonces implements UsedNonces {

    private static final long SWEEP_MILLIS = SessionNonces.LIFETIME.toMillis();
    private static final KeyedRead<Boolean> USED = new KeyedRead<>(
            "SELECT 1 FROM used_nonce WHERE nonce = ?", row -> true);

    private final Database database;
    private final AtomicLong nextSweepAt = new AtomicLong();

    StoredNonces(Database database, long now) {
        this.database = database;
        this.nextSweepAt.set(now + SWEEP_MILLIS);
    }

    @Override
    public boolean contains(String nonce) {
        return database.read(handle -> USED.find(handle, nonce)).isPresent();
    }

    @Override
    public boolean use(String nonce, long expiresAt, long now) {
        long sweepAt = nextSweepAt.get();
        boolean sweep = now >= sweepAt && nextSweepAt.compareAndSet(sweepAt, now + SWEEP_MILLIS);
        return database.inTransaction(handle -> {
            if (sweep) {
                handle.createUpdate("DELETE FROM used_nonce WHERE expires_at <= :now").bind("now", now).execute();
            }
            return handle.createUpdate("INSERT INTO used_nonce (nonce, expires_at) VALUES (:nonce, :expiresAt)"
                    + " ON CONFLICT (nonce) DO NOTHING")
                    .bind("nonce", nonce).bind("expiresAt", expiresAt).execute() == 1;
        });
    }

    @Override
    public int size() {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM used_nonce").mapTo(Integer.class)
                .one());
    }
}
