package io.enigm.server.environment.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.store.Database;

/**
 * Admin tokens in the {@code admin_token} table. A token is 256 random bits; only its SHA-256 is
 * stored, which is enough for a secret of that strength and lets a request find its token by an
 * indexed lookup.
 */
@Component(service = AdminTokens.class)
public class HashedAdminTokens implements AdminTokens {

    static final String TOKEN_PREFIX = "enigm_at_";
    static final int MAX_LABEL_LENGTH = 100;
    /** How stale "last used" may get: writing it on every request would serialize reads behind writes. */
    private static final long LAST_USED_RESOLUTION_MILLIS = 60_000;

    private final Database database;
    private final Clock clock;
    private final Map<String, Long> lastUsedWritten = new ConcurrentHashMap<>();

    @Activate
    public HashedAdminTokens(@Reference Database database) {
        this(database, Clock.systemUTC());
    }

    HashedAdminTokens(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Optional<AdminPrincipal> authenticate(String bearerToken) {
        if (bearerToken == null || !bearerToken.startsWith(TOKEN_PREFIX) || bearerToken.length() > 100) {
            return Optional.empty();
        }
        long now = clock.millis();
        Optional<AdminPrincipal> principal = database.read(handle -> handle.createQuery(
                "SELECT id, role, environment_id, label FROM admin_token WHERE token_hash = :hash"
                        + " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)")
                .bind("hash", hash(bearerToken))
                .bind("now", now)
                .map((rs, ctx) -> new AdminPrincipal(rs.getString("id"), AdminRole.valueOf(rs.getString("role")),
                        rs.getString("environment_id"), rs.getString("label")))
                .findOne());
        principal.ifPresent(p -> noteUse(p.tokenId(), now));
        return principal;
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
        if (role == null) {
            throw new InvalidRequestException("role", "is required");
        }
        if (role.isInstallationWide() != (environmentId == null)) {
            throw new InvalidRequestException("environmentId",
                    role.isInstallationWide() ? "must be absent for an installation-wide role" : "is required for this role");
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
            if (environmentId != null && handle.createQuery("SELECT COUNT(*) FROM environment WHERE id = :id")
                    .bind("id", environmentId).mapTo(Integer.class).one() == 0) {
                throw new NotFoundException("environment");
            }
            return handle.createUpdate("INSERT INTO admin_token (id, token_hash, role, environment_id, label,"
                    + " created_at, expires_at) VALUES (:id, :hash, :role, :environmentId, :label, :createdAt, :expiresAt)")
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

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
