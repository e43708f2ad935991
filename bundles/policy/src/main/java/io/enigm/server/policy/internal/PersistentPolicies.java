package io.enigm.server.policy.internal;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.policy.Policies;
import io.enigm.server.policy.PolicyVersion;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeyedRead;

/**
 * Policy versions in the {@code policy_version} table, and each environment's version in force,
 * compiled once and kept in memory. A new version replaces the compiled one as its transaction
 * commits, before {@link #put} returns, so every decision after it uses it.
 */
@Component(service = {Policies.class, PersistentPolicies.class})
public class PersistentPolicies implements Policies {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentPolicies.class);
    static final String BUILT_IN_AUTHOR = "built-in";
    private static final CompiledPolicy BUILT_IN = CompiledPolicy.compile(0, PolicyDocument.parse(PolicyDocument.BUILT_IN));
    private static final String COLUMNS = "environment_id, version, document, author, created_at";

    private static final KeyedRead<Long> LATEST_VERSION = new KeyedRead<>(
            "SELECT COALESCE(MAX(version), 0) FROM policy_version WHERE environment_id = ?", row -> row.getLong(1));

    private final Database database;
    private final EnvironmentService environments;
    private final Clock clock;
    private final ConcurrentHashMap<String, CompiledPolicy> inForce = new ConcurrentHashMap<>();
    private final LongAdder compilations = new LongAdder();
    /**
     * The version each environment's latest put on this node stored, compiled. On a database shared
     * by nodes a decision can see the committed row before the put publishes it; it takes this
     * instead of compiling the version again. The entry stays until the next put (a decision may
     * still be loading the row when the put publishes); one whose transaction rolled back matches
     * no stored row unless one with the same number and document.
     */
    private final ConcurrentHashMap<String, PutVersion> putting = new ConcurrentHashMap<>();

    private record PutVersion(String document, CompiledPolicy compiled) {
    }

    @Activate
    public PersistentPolicies(@Reference Database database, @Reference EnvironmentService environments) {
        this(database, environments, Clock.systemUTC());
    }

    PersistentPolicies(Database database, EnvironmentService environments, Clock clock) {
        this.database = database;
        this.environments = environments;
        this.clock = clock;
    }

    @Override
    public PolicyVersion current(String environmentId) {
        Environment environment = readable(environmentId);
        return database.read(handle -> latest(handle, environmentId)).orElseGet(() -> builtIn(environment));
    }

    @Override
    public PolicyVersion put(String environmentId, String document, String author) {
        if (author == null || author.isBlank() || author.length() > 128) {
            throw new InvalidRequestException("author", "is required, at most 128 characters");
        }
        // Parsing and compiling happen before the transaction: the writer thread only writes.
        PolicyDocument parsed = PolicyDocument.parse(document);
        CompiledPolicy compiled = compile(-1, parsed);
        return database.inTransaction(handle -> {
            Environment environment = readable(environmentId);
            if (environment.state().isReadOnly()) {
                throw new ConflictException("the environment is " + environment.state() + " and therefore read-only");
            }
            long version = handle.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM policy_version"
                    + " WHERE environment_id = :env")
                    .bind("env", environmentId).mapTo(Long.class).one();
            long now = clock.millis();
            handle.createUpdate("INSERT INTO policy_version (" + COLUMNS + ") VALUES (:env, :version, :document,"
                    + " :author, :now)")
                    .bind("env", environmentId).bind("version", version).bind("document", parsed.canonical())
                    .bind("author", author).bind("now", now).execute();
            PutVersion put = new PutVersion(parsed.canonical(), compiled.at(version));
            putting.put(environmentId, put);
            handle.afterCommit(() -> publishIfStored(handle, environmentId, put));
            LOG.debug("Policy version {} of environment {} stored", version, environmentId);
            return new PolicyVersion(environmentId, version, parsed.canonical(), author, Instant.ofEpochMilli(now));
        });
    }

    /**
     * Runs as the transaction commits. A commit can still carry on without this version when the
     * caller's own work failed after {@link #put} returned (its savepoint is rolled back while other
     * work of the same group commit is committed), so the row is checked before the version takes
     * effect. After the commit the handle is back in auto-commit mode, where this read is its own.
     */
    private void publishIfStored(Handle handle, String environmentId, PutVersion put) {
        CompiledPolicy compiled = put.compiled();
        try {
            boolean stored = handle.createQuery("SELECT COUNT(*) FROM policy_version WHERE environment_id = :env"
                    + " AND version = :version")
                    .bind("env", environmentId).bind("version", compiled.version).mapTo(Long.class).one() == 1;
            if (stored) {
                publish(environmentId, compiled);
            }
        } catch (RuntimeException e) {
            // Never fail the commit of others from here: forget the compiled form, the next decision reloads it.
            inForce.remove(environmentId);
            LOG.warn("Could not confirm policy version {} of environment {} ({}); it is reloaded on next use",
                    compiled.version, environmentId, e.getClass().getName());
        }
    }

    @Override
    public Page<PolicyVersion> versions(String environmentId, PageRequest page) {
        long before = decodeCursor(page.cursor());
        Environment environment = readable(environmentId);
        return database.read(handle -> {
            List<PolicyVersion> rows = new ArrayList<>(handle.createQuery("SELECT " + COLUMNS
                    + " FROM policy_version WHERE environment_id = :env AND version < :before"
                    + " ORDER BY version DESC LIMIT :limit")
                    .bind("env", environmentId).bind("before", before).bind("limit", page.limit() + 1)
                    .map((rs, ctx) -> new PolicyVersion(rs.getString("environment_id"), rs.getLong("version"),
                            rs.getString("document"), rs.getString("author"),
                            Instant.ofEpochMilli(rs.getLong("created_at"))))
                    .list());
            // The built-in version 0 was in force from the environment's creation: history ends with it.
            if (rows.size() <= page.limit() && before > 0) {
                rows.add(builtIn(environment));
            }
            if (rows.size() <= page.limit()) {
                return new Page<>(rows, null);
            }
            List<PolicyVersion> items = rows.subList(0, page.limit());
            return new Page<>(items, encodeCursor(items.get(items.size() - 1).version()));
        });
    }

    /**
     * The compiled version in force in {@code environmentId}, loaded and compiled on first use. On a
     * database shared by nodes another node may have put a newer version: the cached one is used
     * only while it is still the latest stored.
     */
    CompiledPolicy inForce(String environmentId) {
        CompiledPolicy policy = inForce.get(environmentId);
        if (policy != null && database.sharedByNodes() && policy.version != latestVersion(environmentId)) {
            policy = null;
        }
        return policy != null ? policy : load(environmentId);
    }

    private long latestVersion(String environmentId) {
        return database.read(handle -> LATEST_VERSION.find(handle, environmentId)).orElse(0L);
    }

    private CompiledPolicy load(String environmentId) {
        CompiledPolicy loaded = database.read(handle -> latest(handle, environmentId))
                .map(version -> compileStored(environmentId, version))
                .orElse(BUILT_IN);
        return publish(environmentId, loaded);
    }

    /**
     * A stored version is checked again as it is loaded: one that this release refuses (stored
     * before a limit or a refused requirement existed) is never compiled, so it cannot exhaust the
     * heap at start. It stays the version in force and denies every request, failing closed, until a
     * policy administrator puts a valid one.
     */
    private CompiledPolicy compileStored(String environmentId, PolicyVersion version) {
        CompiledPolicy compiled = compiledAlready(environmentId, version);
        if (compiled != null) {
            return compiled;
        }
        PolicyDocument document;
        try {
            document = PolicyDocument.parse(version.document());
        } catch (InvalidRequestException e) {
            LOG.warn("Policy version {} of environment {} is refused by this release at {}; the environment denies"
                    + " every request until a new version is put", version.version(), environmentId, e.field());
            return CompiledPolicy.denyingEverything(version.version());
        }
        return compile(version.version(), document);
    }

    /**
     * The stored version as this node compiled it already, or null: cached (a cached version was
     * stored, and a version's number names one document; a newer one cached while this read was
     * under way is what {@link #publish} would keep anyway) or compiled by its put, which may not
     * have published it yet.
     */
    private CompiledPolicy compiledAlready(String environmentId, PolicyVersion version) {
        CompiledPolicy cached = inForce.get(environmentId);
        if (cached != null && cached.version >= version.version()) {
            return cached;
        }
        PutVersion put = putting.get(environmentId);
        boolean putHere = put != null && put.compiled().version == version.version()
                && put.document().equals(version.document());
        return putHere ? put.compiled() : null;
    }

    /**
     * Keeps the newer of what is cached and {@code compiled}: a decision that read the previous
     * version just before a new one committed cannot put the old one back.
     */
    private CompiledPolicy publish(String environmentId, CompiledPolicy compiled) {
        return inForce.merge(environmentId, compiled,
                (cached, candidate) -> candidate.version >= cached.version ? candidate : cached);
    }

    private CompiledPolicy compile(long version, PolicyDocument document) {
        compilations.increment();
        return CompiledPolicy.compile(version, document);
    }

    /** How many times a policy document was compiled since start (each version once). */
    long compilations() {
        return compilations.sum();
    }

    private static java.util.Optional<PolicyVersion> latest(Handle handle, String environmentId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM policy_version WHERE environment_id = :env"
                + " ORDER BY version DESC LIMIT 1")
                .bind("env", environmentId)
                .map((rs, ctx) -> new PolicyVersion(rs.getString("environment_id"), rs.getLong("version"),
                        rs.getString("document"), rs.getString("author"),
                        Instant.ofEpochMilli(rs.getLong("created_at"))))
                .findOne();
    }

    private static PolicyVersion builtIn(Environment environment) {
        return new PolicyVersion(environment.id(), 0, PolicyDocument.BUILT_IN, BUILT_IN_AUTHOR,
                environment.createdAt());
    }

    /** An environment whose policy can be read; a deleted one is gone. */
    private Environment readable(String environmentId) {
        Environment environment = environments.get(environmentId);
        if (environment.state() == EnvironmentState.DELETED) {
            throw new NotFoundException("environment");
        }
        return environment;
    }

    /** The cursor names the last version of the page; the next page starts below it. */
    private static String encodeCursor(long version) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(8).putLong(version).array());
    }

    private static long decodeCursor(String cursor) {
        if (cursor == null) {
            return Long.MAX_VALUE;
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(cursor);
            long version = bytes.length == 8 ? ByteBuffer.wrap(bytes).getLong() : -1;
            if (version < 1) {
                throw new IllegalArgumentException("not a version");
            }
            return version;
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("cursor", "is not a cursor of this list");
        }
    }
}
