package io.enigm.server.environment.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/**
 * Keeps a working OWNER token in {@code <home>/secrets/owner-token}, the only place the token ever
 * appears. On a start where that file does not hold a live OWNER token (the first start, or after
 * the operator deleted the file to rotate or recover the token) it mints a new one in place of the
 * earlier server-minted ones, which stop working ({@link AdminTokens#rotateOwner}). The file is
 * written inside the transaction that stores the token's hash; a crash between the two leaves a
 * file whose token is not live, and the next start rotates again.
 */
@Component
public class OwnerTokenBootstrap {

    static final String SECRET_NAME = "owner-token";
    static final String LABEL = "installation owner";
    private static final Logger LOG = LoggerFactory.getLogger(OwnerTokenBootstrap.class);

    @Activate
    public OwnerTokenBootstrap(@Reference Database database, @Reference AdminTokens tokens,
            @Reference AuditLog audit, @Reference DataHome home) {
        this(database, tokens, audit, home, Clock.systemUTC());
    }

    OwnerTokenBootstrap(Database database, AdminTokens tokens, AuditLog audit, DataHome home, Clock clock) {
        Path file = home.secrets().resolve(SECRET_NAME);
        // read first, off the writer: most starts find the file as they left it and write nothing
        Optional<String> written = home.readSecret(SECRET_NAME)
                .map(content -> new String(content, StandardCharsets.UTF_8).strip());
        if (written.isPresent() && database.read(handle -> isLiveOwner(handle, written.get(), clock))) {
            LOG.info("OWNER token in {}", file);
            return;
        }
        String action = database.inTransaction(handle -> {
            boolean first = handle.createQuery("SELECT COUNT(*) FROM admin_token WHERE role = 'OWNER'")
                    .mapTo(Integer.class).one() == 0;
            MintedToken owner = tokens.rotateOwner(LABEL);
            String audited = first ? "admin-token.create" : "admin-token.rotate";
            audit.append(new AuditEntry("system", null, null, audited, owner.id(), AuditOutcome.ALLOWED, null));
            home.writeSecret(SECRET_NAME, (owner.token() + "\n").getBytes(StandardCharsets.UTF_8));
            return audited;
        });
        if (action.equals("admin-token.create")) {
            LOG.info("Created the installation's OWNER token in {} (readable by this user only)", file);
        } else {
            LOG.warn("{} held no live OWNER token: wrote a new one there; the earlier server-minted owner token"
                    + " no longer works", file);
        }
    }

    private static boolean isLiveOwner(Handle handle, String token, Clock clock) {
        return handle.createQuery("SELECT COUNT(*) FROM admin_token WHERE token_hash = :hash"
                + " AND role = 'OWNER' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)")
                .bind("hash", HashedAdminTokens.hash(token))
                .bind("now", clock.millis())
                .mapTo(Integer.class).one() > 0;
    }
}
