package io.enigm.server.benchmarks.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.internal.TestDatabases;

/**
 * Audit appends per second on one thread, each in a durable transaction of its own, through the real
 * hash-chained audit log on the real store (WAL, {@code synchronous=FULL}), beside plain SQLite
 * inserts of the same row (same columns, same sizes, precomputed hashes and salt) with the same
 * pragmas and a commit each, in the same run on the same disk. The difference is what the chain
 * costs: reading nothing back (the head is cached), one salt, two SHA-256, a checkpoint every 10,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(1)
public class AuditAppendBenchmark {

    private static final AuditEntry ENTRY = new AuditEntry("0cLzq3Ow1vX8kGmT2aP4bQ", "ADMINISTRATOR",
            "0cLzq2Jd5fT0wNcV7yH1uE", "environment.update", "0cLzq2Jd5fT0wNcV7yH1uE", AuditOutcome.ALLOWED, null);

    private Path directory;
    private AuditLog chained;
    private Connection plain;
    private PreparedStatement insert;
    private long sequence;
    private String salt;
    private String hash;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        directory = Files.createTempDirectory("audit-jmh");
        DataHome home = TestDatabases.home(directory.resolve("chained"));
        chained = TestAuditLogs.open(home, TestDatabases.open(home));

        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setGetGeneratedKeys(false);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + directory.resolve("plain.db"));
        plain = source.getConnection();
        plain.createStatement().execute("CREATE TABLE audit_record (sequence INTEGER PRIMARY KEY,"
                + " recorded_at INTEGER NOT NULL, actor TEXT, role TEXT, environment_id TEXT, action TEXT NOT NULL,"
                + " target TEXT, outcome TEXT NOT NULL, category TEXT, previous_hash TEXT NOT NULL, hash TEXT NOT NULL,"
                + " salt TEXT)");
        plain.createStatement().execute("CREATE INDEX audit_record_by_environment ON audit_record"
                + " (environment_id, sequence)");
        insert = plain.prepareStatement("INSERT INTO audit_record (sequence, recorded_at, actor, role,"
                + " environment_id, action, target, outcome, category, salt, previous_hash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        Random random = new Random(1);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        hash = HexFormat.of().formatHex(bytes);
        salt = hash.substring(0, 32);
    }

    @Benchmark
    public AuditRecord chainedAppend() {
        return chained.append(ENTRY);
    }

    @Benchmark
    public int plainInsert() throws SQLException {
        insert.setLong(1, ++sequence);
        insert.setLong(2, System.currentTimeMillis());
        insert.setString(3, ENTRY.actor());
        insert.setString(4, ENTRY.role());
        insert.setString(5, ENTRY.environmentId());
        insert.setString(6, ENTRY.action());
        insert.setString(7, ENTRY.target());
        insert.setString(8, ENTRY.outcome().name());
        insert.setString(9, ENTRY.category());
        insert.setString(10, salt);
        insert.setString(11, hash);
        insert.setString(12, hash);
        return insert.executeUpdate();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        plain.close();
    }
}
