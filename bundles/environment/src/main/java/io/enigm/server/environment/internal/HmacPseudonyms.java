package io.enigm.server.environment.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.common.NotFoundException;
import io.enigm.server.privacy.IdentifierKind;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/**
 * Handles as HMAC-SHA256 under each environment's own random key, kept in {@code environment_key}
 * wrapped under the {@link InstallationKey}. Unwrapped keys are cached: a handle costs one HMAC,
 * not a database read, after the environment's first.
 */
@Component(service = Pseudonyms.class)
public class HmacPseudonyms implements Pseudonyms {

    private static final Logger LOG = LoggerFactory.getLogger(HmacPseudonyms.class);
    private static final String ALGORITHM = "HmacSHA256";
    private static final int ENVIRONMENT_KEY_BYTES = 32;

    private final Database database;
    private final Clock clock;
    private final InstallationKey installationKey;
    private final Map<String, SecretKeySpec> unwrapped = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(HmacPseudonyms::newMac);

    @Activate
    public HmacPseudonyms(@Reference Database database, @Reference DataHome home) {
        this(database, home, Clock.systemUTC());
    }

    HmacPseudonyms(Database database, DataHome home, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.installationKey = loadOrCreate(database, home);
    }

    /**
     * Creates the installation key on first start. A missing key file beside existing wrapped keys
     * means the file was lost or the data home restored without it: a new key would silently make
     * every environment's handles unusable, so the component refuses to start instead.
     */
    private static InstallationKey loadOrCreate(Database database, DataHome home) {
        Path file = home.secrets().resolve(InstallationKey.SECRET_NAME);
        return home.readSecret(InstallationKey.SECRET_NAME).map(content -> {
            LOG.info("Installation key loaded from {}", file);
            return InstallationKey.parse(content);
        }).orElseGet(() -> {
            long wrappedKeys = database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM environment_key")
                    .mapTo(Long.class).one());
            if (wrappedKeys > 0) {
                LOG.error("The installation key {} is missing but {} environment keys are wrapped under it;"
                        + " restore the file from the backup of this data home", file, wrappedKeys);
                throw new IllegalStateException("the installation key is missing");
            }
            InstallationKey created = InstallationKey.generate();
            LOG.info("Created the installation key in {} (readable by this user only)",
                    home.writeSecret(InstallationKey.SECRET_NAME, created.fileContent()));
            return created;
        });
    }

    @Override
    public String handle(String environmentId, IdentifierKind kind, String rawValue) {
        SecretKeySpec key = unwrapped.computeIfAbsent(environmentId, this::load);
        Mac mac = macs.get();
        try {
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 refused its key", e);
        }
        byte[] digest = mac.doFinal((kind.name() + ":" + rawValue).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /**
     * Runs inside the cache's compute for this environment, so a {@link #destroyKey} that removes
     * the entry after its commit waits for a load in progress instead of being overtaken by it.
     */
    private SecretKeySpec load(String environmentId) {
        InstallationKey.Wrapped wrapped = database.read(handle -> handle.createQuery(
                "SELECT nonce, wrapped_key FROM environment_key WHERE environment_id = :id")
                .bind("id", environmentId)
                .map((rs, ctx) -> new InstallationKey.Wrapped(rs.getBytes("nonce"), rs.getBytes("wrapped_key")))
                .findOne())
                .orElseThrow(() -> new NotFoundException("environment key"));
        return new SecretKeySpec(installationKey.unwrap(environmentId, wrapped), ALGORITHM);
    }

    @Override
    public void createKey(String environmentId) {
        byte[] key = RandomIdentifiers.bytes(ENVIRONMENT_KEY_BYTES);
        InstallationKey.Wrapped wrapped = installationKey.wrap(environmentId, key);
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO environment_key"
                + " (environment_id, nonce, wrapped_key, created_at) VALUES (:id, :nonce, :wrapped, :createdAt)")
                .bind("id", environmentId)
                .bind("nonce", wrapped.nonce())
                .bind("wrapped", wrapped.ciphertext())
                .bind("createdAt", clock.millis())
                .execute());
    }

    @Override
    public void destroyKey(String environmentId) {
        database.inTransaction(handle -> {
            handle.createUpdate("DELETE FROM environment_key WHERE environment_id = :id")
                    .bind("id", environmentId).execute();
            // Again after the commit: a reader may have loaded the key from the last committed state meanwhile.
            handle.afterCommit(() -> {
                unwrapped.remove(environmentId);
                LOG.info("Destroyed the key of environment {}; its handles can no longer be computed", environmentId);
            });
            return null;
        });
        unwrapped.remove(environmentId);
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
