package io.enigm.server.environment.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.store.DataHome;
import io.enigm.server.store.Database;

/**
 * On the first start of an installation, mints the OWNER token and writes it to
 * {@code <home>/secrets/owner-token}: the only place the token ever appears. The file is written
 * inside the transaction that stores the token's hash, so a crash leaves either both or neither,
 * and the next start tries again.
 */
@Component
public class OwnerTokenBootstrap {

    static final String SECRET_NAME = "owner-token";
    private static final Logger LOG = LoggerFactory.getLogger(OwnerTokenBootstrap.class);

    @Activate
    public OwnerTokenBootstrap(@Reference Database database, @Reference AdminTokens tokens,
            @Reference AuditLog audit, @Reference DataHome home) {
        Path written = database.inTransaction(handle -> {
            boolean hasOwner = handle.createQuery("SELECT COUNT(*) FROM admin_token WHERE role = 'OWNER'")
                    .mapTo(Integer.class).one() > 0;
            if (hasOwner) {
                return null;
            }
            MintedToken owner = tokens.mint(AdminRole.OWNER, null, null, "installation owner");
            audit.append(new AuditEntry("system", null, null, "admin-token.create", owner.id(),
                    AuditOutcome.ALLOWED, null));
            return home.writeSecret(SECRET_NAME, (owner.token() + "\n").getBytes(StandardCharsets.UTF_8));
        });
        if (written != null) {
            LOG.info("Created the installation's OWNER token; it is in {} (readable by this user only)", written);
        } else {
            LOG.info("OWNER token exists; its file is {}", home.secrets().resolve(SECRET_NAME));
        }
    }
}
