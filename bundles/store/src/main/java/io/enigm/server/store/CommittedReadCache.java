package io.enigm.server.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A bounded read-through cache of committed rows that nearly every request reads and few change
 * (admin tokens, environments). It never answers what the database would not: writers call
 * {@link #invalidate} inside their transaction and the entry goes once that transaction is durable,
 * before the writer is answered; a load that overlapped such a commit is not kept. Inside a read
 * transaction the cache is bypassed, since that work must see its own snapshot; inside the write
 * transaction it is bypassed for the keys that transaction invalidated, whose rows it may have
 * changed. Every other key reads the same there as committed, the writer being the only one.
 *
 * <p>On a database {@linkplain Database#sharedByNodes shared by nodes}, another node's commit
 * would not reach this cache: it keeps nothing across transactions there, and every read outside a
 * write transaction goes to the database. Inside one it keeps what that write transaction read
 * until it ends ({@link Database#sharedWriteTransaction}), as no other node writes meanwhile: the
 * work committed together in it reads a row once.
 */
public final class CommittedReadCache<K, V> {

    private final Database database;
    private final int capacity;
    private final boolean shared;
    private final Map<K, V> entries = new ConcurrentHashMap<>();
    /** Moves on every invalidating commit; a load that saw it move keeps nothing. */
    private final AtomicLong generation = new AtomicLong();
    /** Keys invalidated by the write transaction under way; touched on the writer thread only. */
    private final Set<K> changing = new HashSet<>();
    private boolean allChanging;
    /** On a shared database: the rows the write transaction under way read; the writer's only. */
    private TransactionRows<K, V> transactionRows = new TransactionRows<>(-1, new HashMap<>());

    /** Rows one shared write transaction read, by its number. */
    private record TransactionRows<K, V>(long transaction, Map<K, V> rows) {
    }

    public CommittedReadCache(Database database, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.database = database;
        this.capacity = capacity;
        this.shared = database.sharedByNodes();
    }

    /** The cached value, else what {@code loader} reads from the database; absent values are not cached. */
    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        boolean writing = database.inWriteTransaction();
        if (writing ? allChanging || changing.contains(key) : shared || database.isInTransaction()) {
            return loader.apply(key);
        }
        if (shared) {
            return readOncePerTransaction(key, loader);
        }
        V cached = entries.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (writing) {
            // What the writer reads is not committed yet, so it is never kept.
            return loader.apply(key);
        }
        long seen = generation.get();
        Optional<V> loaded = loader.apply(key);
        loaded.ifPresent(value -> keep(key, value, seen));
        return loaded;
    }

    /** Inside a write transaction on a shared database, where no other node writes until it ends. */
    private Optional<V> readOncePerTransaction(K key, Function<K, Optional<V>> loader) {
        long transaction = database.sharedWriteTransaction();
        if (transaction == -1) {
            return loader.apply(key);
        }
        TransactionRows<K, V> current = transactionRows;
        if (current.transaction() != transaction) {
            current = new TransactionRows<>(transaction, new HashMap<>());
            transactionRows = current;
        }
        V read = current.rows().get(key);
        if (read != null) {
            return Optional.of(read);
        }
        Optional<V> loaded = loader.apply(key);
        if (loaded.isPresent() && current.rows().size() < capacity) {
            current.rows().put(key, loaded.get());
        }
        return loaded;
    }

    private void keep(K key, V value, long seen) {
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(key, value);
        if (generation.get() != seen) {
            // A commit overlapped the load: the value may predate it.
            entries.remove(key, value);
        }
    }

    /**
     * Drops {@code key} when the current write transaction commits. Call it before changing the
     * row: from then on this transaction reads the row itself instead of the cache.
     */
    public void invalidate(K key) {
        // Marks belong to the writer thread: only work on it sets one, and only the work that set it clears it.
        boolean marked = database.inWriteTransaction() && changing.add(key);
        if (database.inWriteTransaction()) {
            transactionRows.rows().remove(key);
        }
        if (marked) {
            database.onRollback(() -> changing.remove(key));
        }
        database.afterCommit(() -> {
            generation.incrementAndGet();
            entries.remove(key);
            if (marked) {
                changing.remove(key);
            }
        });
    }

    /** Drops every entry when the current write transaction commits. */
    public void invalidateAll() {
        boolean marked = database.inWriteTransaction() && !allChanging;
        if (database.inWriteTransaction()) {
            transactionRows.rows().clear();
        }
        if (marked) {
            allChanging = true;
            database.onRollback(() -> allChanging = false);
        }
        database.afterCommit(() -> {
            generation.incrementAndGet();
            entries.clear();
            if (marked) {
                allChanging = false;
            }
        });
    }
}
