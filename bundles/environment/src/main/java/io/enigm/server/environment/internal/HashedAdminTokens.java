package io.enigm.server.environment.internal;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminToken;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.Keyset;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.store.CommittedReadCache;
import io.enigm.server.store.Database;
import io.enigm.server.store.KeysetCondition;

/**
 * Admin tokens in the {@code admin_token} table. A token is 256 random bits; only its SHA-256 is
 * stored, which is enough for a secret of that strength and lets a request find its token by an
 * indexed lookup. Every administrative request authenticates, so live tokens are cached by hash;
 * a revocation leaves the cache with its commit, and expiry and the environment's deletion are
 * checked on every use.
 *
 * <p>Every token but the server-minted owner's names the token that minted it. Revoking a token
 * revokes the whole tree minted from it, so that no delegation outlives its issuer; a revocation
 * that would leave no live OWNER token is refused, since nothing could then administer the
 * installation.
 */
@Component(service = AdminTokens.class, configurationPid = AdminTokenConfiguration.PID)
@Designate(ocd = AdminTokenConfiguration.class)
public class HashedAdminTokens implements AdminTokens {

    static final String TOKEN_PREFIX = "enigm_at_";
    static final int MAX_LABEL_LENGTH = 100;
    /** How stale "last used" may get: writing it on every request would serialize reads behind writes. */
    private static final long LAST_USED_RESOLUTION_MILLIS = 60_000;

    private static final String COLUMNS = "id, label, role, environment_id, issued_by, created_at, expires_at,"
            + " last_used_at, revoked_at";

    private static final int CACHED_TOKENS = 10_000;

    /**
     * A token and every token minted from it, however indirectly, revoked or not. The seed is read
     * from the table rather than selected as a bare parameter, whose type and collation PostgreSQL
     * could not match with the recursive term's.
     */
    private static final String TREE = "WITH RECURSIVE tree(id) AS (SELECT id FROM admin_token WHERE id = :id"
            + " UNION SELECT admin_token.id FROM admin_token JOIN tree ON admin_token.issued_by = tree.id) ";

    private final Database database;
    private final EnvironmentService environments;
    private final CriticalOperationPin pin;
    private final Clock clock;
    private final Duration maxTtl;
    private final Map<String, Long> lastUsedWritten = new ConcurrentHashMap<>();
    /** Unrevoked tokens by hash. */
    private final CommittedReadCache<String, LiveToken> live;

    /** What authentication needs of an unrevoked token. */
    private record LiveToken(AdminPrincipal principal, Instant expiresAt) {
    }

    @Activate
    public HashedAdminTokens(@Reference Database database, @Reference EnvironmentService environments,
            @Reference CriticalOperationPin pin, AdminTokenConfiguration configuration) {
        this(database, environments, pin, Clock.systemUTC(), Duration.ofDays(configuration.maxTtlDays()));
    }

    HashedAdminTokens(Database database, EnvironmentService environments, CriticalOperationPin pin, Clock clock,
            Duration maxTtl) {
        if (maxTtl.isNegative() || maxTtl.isZero()) {
            throw new IllegalArgumentException("maxTtlDays must be positive");
        }
        this.database = database;
        this.environments = environments;
        this.pin = pin;
        this.clock = clock;
        this.maxTtl = maxTtl;
        this.live = new CommittedReadCache<>(database, CACHED_TOKENS);
    }

    @Override
    public Optional<AdminPrincipal> authenticate(String bearerToken) {
        if (bearerToken == null || !bearerToken.startsWith(TOKEN_PREFIX) || bearerToken.length() > 100) {
            return Optional.empty();
        }
        long now = clock.millis();
        Optional<AdminPrincipal> principal = live.get(hash(bearerToken), this::findLive)
                .filter(token -> token.expiresAt() == null || token.expiresAt().toEpochMilli() > now)
                .map(LiveToken::principal)
                .filter(this::environmentRemains);
        principal.ifPresent(p -> noteUse(p.tokenId(), now));
        return principal;
    }

    private Optional<LiveToken> findLive(String tokenHash) {
        return database.read(handle -> handle.createQuery(
                "SELECT id, role, environment_id, label, expires_at FROM admin_token"
                        + " WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new LiveToken(new AdminPrincipal(rs.getString("id"),
                        AdminRole.valueOf(rs.getString("role")), rs.getString("environment_id"),
                        rs.getString("label")), instant(rs, "expires_at")))
                .findOne());
    }

    /** A deleted environment's administrators lose their tokens with it (deletion also revokes them). */
    private boolean environmentRemains(AdminPrincipal principal) {
        if (principal.environmentId() == null) {
            return true;
        }
        try {
            return environments.get(principal.environmentId()).state() != EnvironmentState.DELETED;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private void noteUse(String tokenId, long now) {
        Long written = lastUsedWritten.get(tokenId);
        if (written == null || now - written >= LAST_USED_RESOLUTION_MILLIS) {
            lastUsedWritten.put(tokenId, now);
            database.inTransaction(handle -> handle.createUpdate(
                    "UPDATE admin_token SET last_used_at = :now WHERE id = :id")
                    .bind("now", now).bind("id", tokenId).execute());
        }
    }

    @Override
    public MintedToken mint(AdminRole role, String environmentId, Duration ttl, String label) {
        return store(null, role, environmentId, ttl, label);
    }

    @Override
    public MintedToken issue(AdminPrincipal issuer, AdminRole role, String environmentId, Duration ttl, String label) {
        if (role == null) {
            throw new InvalidRequestException("role", "is required");
        }
        if (!issuer.role().mayGrant(role)) {
            throw new ForbiddenException("the role " + issuer.role() + " may not grant " + role);
        }
        if (environmentId != null && !issuer.reaches(environmentId)) {
            throw new NotFoundException("environment");
        }
        if (environmentId == null && !issuer.isInstallationWide()) {
            throw new ForbiddenException("only the owner grants an installation-wide token");
        }
        if (ttl == null) {
            throw new InvalidRequestException("ttlSeconds", "is required");
        }
        if (ttl.compareTo(maxTtl) > 0) {
            throw new InvalidRequestException("ttlSeconds", "must be at most " + maxTtl.toSeconds());
        }
        Instant issuerExpiry = database.read(handle -> handle.createQuery(
                "SELECT expires_at FROM admin_token WHERE id = :id").bind("id", issuer.tokenId())
                .mapTo(Long.class).findOne().map(Instant::ofEpochMilli).orElse(null));
        if (issuerExpiry != null && Instant.ofEpochMilli(clock.millis()).plus(ttl).isAfter(issuerExpiry)) {
            throw new InvalidRequestException("ttlSeconds", "must not outlive the issuing token");
        }
        return store(issuer.tokenId(), role, environmentId, ttl, label);
    }

    private MintedToken store(String issuedBy, AdminRole role, String environmentId, Duration ttl, String label) {
        if (role == null) {
            throw new InvalidRequestException("role", "is required");
        }
        if (environmentId != null && role.isInstallationWide()) {
            throw new InvalidRequestException("environmentId", "must be absent for an installation-wide role");
        }
        if (environmentId == null && !role.mayBeInstallationWide()) {
            throw new InvalidRequestException("environmentId", "is required for this role");
        }
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new InvalidRequestException("ttlSeconds", "must be positive");
        }
        String cleanLabel = TextRules.requireText("label", label, MAX_LABEL_LENGTH);
        String id = RandomIdentifiers.urlSafe(12);
        String token = TOKEN_PREFIX + RandomIdentifiers.urlSafe(32);
        Instant now = Instant.ofEpochMilli(clock.millis());
        Instant expiresAt = ttl == null ? null : now.plus(ttl);
        database.inTransaction(handle -> {
            // A deleted environment is a tombstone: it takes no new administrators.
            if (environmentId != null && handle.createQuery(
                    "SELECT COUNT(*) FROM environment WHERE id = :id AND state <> 'DELETED'")
                    .bind("id", environmentId).mapTo(Integer.class).one() == 0) {
                throw new NotFoundException("environment");
            }
            return handle.createUpdate("INSERT INTO admin_token (id, token_hash, role, environment_id, label,"
                    + " issued_by, created_at, expires_at)"
                    + " VALUES (:id, :hash, :role, :environmentId, :label, :issuedBy, :createdAt, :expiresAt)")
                    .bind("issuedBy", issuedBy)
                    .bind("id", id)
                    .bind("hash", hash(token))
                    .bind("role", role.name())
                    .bind("environmentId", environmentId)
                    .bind("label", cleanLabel)
                    .bind("createdAt", now.toEpochMilli())
                    .bind("expiresAt", expiresAt == null ? null : expiresAt.toEpochMilli())
                    .execute();
        });
        return new MintedToken(id, token, new AdminPrincipal(id, role, environmentId, cleanLabel), expiresAt);
    }

    @Override
    public Page<AdminToken> list(AdminPrincipal viewer, PageRequest page) {
        Keyset after = Keyset.decode(page.cursor());
        List<AdminToken> rows = database.read(handle -> {
            var query = handle.createQuery("SELECT " + COLUMNS + " FROM admin_token WHERE 1 = 1"
                    + (viewer.role().isInstallationWide() ? "" : " AND environment_id = :environmentId")
                    + KeysetCondition.after(after, "")
                    + " ORDER BY created_at, id LIMIT :limit")
                    .bind("environmentId", viewer.environmentId())
                    .bind("limit", page.limit() + 1);
            KeysetCondition.bind(query, after);
            return query.map((rs, ctx) -> row(rs)).list();
        });
        return Keyset.page(rows, page.limit(), token -> new Keyset(token.createdAt().toEpochMilli(), token.id()));
    }

    @Override
    public void revoke(AdminPrincipal revoker, String tokenId, String confirmationPin) {
        database.inTransaction(handle -> {
            AdminToken token = handle.createQuery("SELECT " + COLUMNS + " FROM admin_token WHERE id = :id")
                    .bind("id", tokenId).map((rs, ctx) -> row(rs)).findOne()
                    .filter(t -> revoker.role().isInstallationWide()
                            || t.environmentId() != null && t.environmentId().equals(revoker.environmentId()))
                    .orElseThrow(() -> new NotFoundException("admin token"));
            if (!revoker.role().isInstallationWide() && !mintedBy(handle, tokenId, revoker.tokenId())) {
                throw new ForbiddenException("only a token it was minted from, or the owner, may revoke it");
            }
            if (token.revokedAt() != null) {
                throw new ConflictException("the token is already revoked");
            }
            long now = clock.millis();
            int ownersLeft = handle.createQuery(TREE + "SELECT COUNT(*) FROM admin_token WHERE role = 'OWNER'"
                    + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)"
                    + " AND id NOT IN (SELECT id FROM tree)")
                    .bind("id", tokenId).bind("now", now).mapTo(Integer.class).one();
            if (ownersLeft == 0) {
                throw new ConflictException("this would revoke the installation's last live OWNER token");
            }
            pin.verify(confirmationPin);
            live.invalidateAll();
            return handle.createUpdate(TREE + "UPDATE admin_token SET revoked_at = :now"
                    + " WHERE revoked_at IS NULL AND id IN (SELECT id FROM tree)")
                    .bind("now", now).bind("id", tokenId).execute();
        });
    }

    /** Whether {@code token} was minted by {@code ancestor} or by a token minted from it, however indirectly. */
    private static boolean mintedBy(Handle handle, String token, String ancestor) {
        return handle.createQuery("WITH RECURSIVE chain(issued_by) AS (SELECT issued_by FROM admin_token"
                + " WHERE id = :token UNION SELECT admin_token.issued_by FROM admin_token JOIN chain"
                + " ON admin_token.id = chain.issued_by) SELECT COUNT(*) FROM chain WHERE issued_by = :ancestor")
                .bind("token", token).bind("ancestor", ancestor).mapTo(Integer.class).one() > 0;
    }

    @Override
    public MintedToken rotateOwner(String label) {
        return database.inTransaction(handle -> {
            MintedToken owner = mint(AdminRole.OWNER, null, null, label);
            live.invalidateAll();
            List<String> replaced = handle.createQuery("SELECT id FROM admin_token WHERE role = 'OWNER'"
                    + " AND issued_by IS NULL AND revoked_at IS NULL AND id <> :owner")
                    .bind("owner", owner.id()).mapTo(String.class).list();
            for (String old : replaced) {
                handle.createUpdate("UPDATE admin_token SET issued_by = :owner WHERE issued_by = :old")
                        .bind("owner", owner.id()).bind("old", old).execute();
                handle.createUpdate("UPDATE admin_token SET revoked_at = :now WHERE id = :old")
                        .bind("now", clock.millis()).bind("old", old).execute();
            }
            return owner;
        });
    }

    private static AdminToken row(ResultSet rs) throws SQLException {
        return new AdminToken(rs.getString("id"), rs.getString("label"), AdminRole.valueOf(rs.getString("role")),
                rs.getString("environment_id"), rs.getString("issued_by"), instant(rs, "created_at"),
                instant(rs, "expires_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Number millis = (Number) rs.getObject(column);
        return millis == null ? null : Instant.ofEpochMilli(millis.longValue());
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
