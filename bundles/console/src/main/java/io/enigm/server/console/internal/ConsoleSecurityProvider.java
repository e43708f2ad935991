package io.enigm.server.console.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.OperatorActivity;
import io.enigm.server.support.secret.SecretHash;

/**
 * The Web Console's only login: HTTP Basic, user {@value #USER}, the generated password in
 * {@code <enigm.home>/secrets/console-password}.
 * <p>
 * The console waits for this provider before it registers any servlet, because the launcher
 * sets {@code felix.webconsole.security.providers=}{@value #PROVIDER_ID}; so its built-in
 * admin/admin provider is never consulted, not even during start-up. If this component cannot
 * activate (no {@code enigm.home}, unreadable secrets), the console stays unavailable: fail closed.
 * <p>
 * Only a PBKDF2 hash of the password is held. Each check costs about 0.1 s of CPU, so a
 * successful login is remembered for {@link #REMEMBER_NANOS} as an HMAC under a key that lives
 * only in this process (the console loads a dozen resources per page). Uncached checks pass a
 * {@link LoginGate}: one at a time, none for half a second after a wrong password. A login that
 * finds the gate closed is answered at once with 429 and {@code Retry-After}: it never waits, so a
 * flood of wrong passwords holds no thread and costs a fraction of one core.
 * <p>
 * Requests that may change something must also come from the console's own pages
 * ({@link SameOrigin}): a foreign page cannot use the operator's remembered credentials.
 */
@Component(service = {SecurityProvider.class, OperatorActivity.class}, property = {
        SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurityProvider.PROVIDER_ID,
        // above the console's built-in provider (Integer.MIN_VALUE) and any default
        Constants.SERVICE_RANKING + ":Integer=1000"
}, reference = @Reference(name = "hardenedConnectors", service = Object.class,
        // registered by io.enigm.server.http once the server's connectors are hardened (case-exact
        // header values, problem+json errors, limits): no login is checked over a connector before that
        target = "(enigm.http.connectors=hardened)"))
public final class ConsoleSecurityProvider implements SecurityProvider, OperatorActivity {

    static final String PROVIDER_ID = "enigm";
    static final String USER = "admin";
    static final String HOME_PROPERTY = "enigm.home";
    static final String REALM = "Enigm Server Console";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);
    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final int REMEMBER_MAX = 32;
    private static final int TOO_MANY_REQUESTS = 429;
    /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
    private static final int PASSWORD_ITERATIONS = 600_000;

    /** Derived off the framework's start-level thread: PBKDF2 there held up every bundle started after this one. */
    private final CompletableFuture<SecretHash> password;
    private final byte[] userBytes = USER.getBytes(StandardCharsets.UTF_8);
    private final SecretKeySpec rememberKey;
    private final Map<ByteBuffer, Long> remembered = new ConcurrentHashMap<>();
    private final LoginGate gate;
    private final ConsoleLogins logins;

    @Activate
    public ConsoleSecurityProvider(BundleContext context, @Reference AuditLog audit) throws IOException {
        this(home(context), new SecureRandom(), PASSWORD_ITERATIONS, new LoginGate(System::nanoTime),
                new ConsoleLogins(audit::append));
    }

    ConsoleSecurityProvider(Path home, SecureRandom random, int iterations, LoginGate gate, ConsoleLogins logins)
            throws IOException {
        this.gate = gate;
        this.logins = logins;
        Path file = ConsolePasswordFile.location(home);
        char[] secret = ConsolePasswordFile.readOrCreate(home, random);
        this.password = CompletableFuture.supplyAsync(() -> hashAndForget(secret, random, iterations), task -> {
            Thread hashing = new Thread(task, "enigm-console-password");
            hashing.setDaemon(true);
            hashing.start();
        });
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.rememberKey = new SecretKeySpec(key, "HmacSHA256");
        LOG.info("Web Console login: user {}, password in {}", USER, file);
    }

    /** Hashes the password and overwrites its characters: only the salted hash stays in memory. */
    private static SecretHash hashAndForget(char[] password, SecureRandom random, int iterations) {
        try {
            return SecretHash.of(password, random, iterations);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static Path home(BundleContext context) {
        String home = context.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("Framework property " + HOME_PROPERTY
                    + " is not set; the Web Console stays locked");
        }
        return Path.of(home).toAbsolutePath();
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        logins.requestBegins();
        if (!SameOrigin.allows(request)) {
            LOG.debug("Web Console request refused: not from the console's own origin");
            refuse(response, HttpServletResponse.SC_FORBIDDEN);
            return null;
        }
        String authorization = request.getHeader("Authorization");
        char[] presented = credentials(authorization);
        Check result = authorization == null ? Check.ASKED : Check.REFUSED;
        try {
            if (presented != null) {
                result = check(presented);
            } else if (authorization != null) {
                result = unreadable();
            }
        } finally {
            if (presented != null) {
                Arrays.fill(presented, '\0');
            }
        }
        switch (result) {
            case ACCEPTED, LOGGED_IN -> {
                logins.serving(USER);
                return USER;
            }
            case BUSY -> {
                response.setHeader("Retry-After", "1");
                refuse(response, TOO_MANY_REQUESTS);
            }
            case REFUSED, ASKED -> {
                response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED);
            }
        }
        return null;
    }

    /**
     * ASKED: no credentials yet (a browser's first request); REFUSED: credentials that did not
     * match; LOGGED_IN: a password checked and matched now; ACCEPTED: a login remembered.
     */
    private enum Check { ASKED, ACCEPTED, LOGGED_IN, REFUSED, BUSY }

    /** @return the password of a Basic header naming our user, else null; user compared in constant time */
    private char[] credentials(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            int colon = -1;
            for (int i = 0; i < decoded.length; i++) {
                if (decoded[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon < 0) {
                return null;
            }
            boolean userOk = MessageDigest.isEqual(userBytes, Arrays.copyOf(decoded, colon));
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(decoded, colon + 1, decoded.length - colon - 1));
            char[] pw = new char[chars.remaining()];
            chars.get(pw);
            Arrays.fill(chars.array(), '\0');
            if (!userOk) {
                Arrays.fill(pw, '\0');
                return null;
            }
            return pw;
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    private Check check(char[] presented) {
        ByteBuffer token = rememberToken(presented);
        Long until = remembered.get(token);
        long now = System.nanoTime();
        if (until != null && now - until < 0) {
            return Check.ACCEPTED;
        }
        if (!gate.tryEnter()) {
            return Check.BUSY;
        }
        boolean matched = false;
        try {
            matched = password.join().matches(presented);
        } finally {
            gate.leave(matched);
        }
        if (!matched) {
            return refused();
        }
        try {
            logins.succeeded(USER);
        } catch (RuntimeException e) {
            // a login the audit cannot show does not happen
            LOG.warn("A Web Console login could not be audited ({}); refused for now", e.getClass().getName());
            return Check.BUSY;
        }
        if (remembered.size() >= REMEMBER_MAX) {
            remembered.clear();
        }
        remembered.put(token, now + REMEMBER_NANOS);
        return Check.LOGGED_IN;
    }

    /**
     * Credentials that name another user or cannot be read: refused like a wrong password, through
     * the same gate, so that they cannot flood the audit either.
     */
    private Check unreadable() {
        if (!gate.tryEnter()) {
            return Check.BUSY;
        }
        gate.leave(false);
        return refused();
    }

    private Check refused() {
        LOG.debug("Web Console login refused");
        try {
            logins.failed();
        } catch (RuntimeException e) {
            LOG.warn("A refused Web Console login could not be audited ({})", e.getClass().getName());
        }
        return Check.REFUSED;
    }

    private ByteBuffer rememberToken(char[] presented) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(presented));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(rememberKey);
            mac.update(bytes);
            return ByteBuffer.wrap(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        } finally {
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }

    private static void refuse(HttpServletResponse response, int status) {
        try {
            response.sendError(status);
        } catch (IOException | IllegalStateException e) {
            response.setStatus(status);
        }
    }

    @Override
    public Optional<String> operatorOnThisThread() {
        return logins.operatorOnThisThread();
    }

    @Override
    public boolean authorize(Object user, String role) {
        // one operator account with every console permission
        return USER.equals(user);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // HTTP Basic keeps no server-side state; forget remembered logins so the next request checks again
        remembered.clear();
    }
}
