package io.enigm.server.console.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleSecurityProviderTest {

    @TempDir
    Path home;
    private final List<AuditEntry> audited = new ArrayList<>();

    private ConsoleSecurityProvider provider(LoginGate gate) throws IOException {
        return new ConsoleSecurityProvider(home, new SecureRandom(), 1000, gate, new ConsoleLogins(audited::add));
    }

    @Test
    void everyLoginAndEveryRefusedLoginIsAuditedAndTheThreadKnowsItsOperator() throws IOException {
        AtomicLong now = new AtomicLong();
        ConsoleSecurityProvider provider = provider(new LoginGate(now::get));
        String generated = Files.readString(home.resolve("secrets/console-password")).trim();

        assertNull(provider.authenticate(request(null), response(new HashMap<>())));
        assertEquals(List.of(), audited, "a browser's first request, with no credentials, is no login");
        assertTrue(provider.operatorOnThisThread().isEmpty());

        for (String header : new String[] {basic("admin", "wrong"), basic("root", generated), "Basic !!!"}) {
            now.addAndGet(LoginGate.PAUSE_AFTER_FAILURE_NANOS);
            assertNull(provider.authenticate(request(header), response(new HashMap<>())));
        }
        assertEquals(3, audited.size(), "each refused login: " + audited);
        for (AuditEntry refused : audited) {
            assertEquals(new AuditEntry(null, null, null, "console.login", null, AuditOutcome.DENIED,
                    "AUTHENTICATION"), refused, "refused, with no actor and nothing of what was sent");
        }
        assertTrue(provider.operatorOnThisThread().isEmpty(), "a refused request serves nobody");

        now.addAndGet(LoginGate.PAUSE_AFTER_FAILURE_NANOS);
        audited.clear();
        assertNotNull(provider.authenticate(request(basic("admin", generated)), response(new HashMap<>())));
        assertNotNull(provider.authenticate(request(basic("admin", generated)), response(new HashMap<>())));
        assertEquals(List.of(new AuditEntry("operator:admin", "OPERATOR", null, "console.login", null,
                AuditOutcome.ALLOWED, null)), audited, "one login, not one per request it remembers");
        assertEquals("admin", provider.operatorOnThisThread().orElseThrow());

        assertNull(provider.authenticate(request(null), response(new HashMap<>())));
        assertTrue(provider.operatorOnThisThread().isEmpty(), "the next request on the thread starts with nobody");
    }

    @Test
    void aLoginTheAuditCannotRecordIsNotLetIn() throws IOException {
        ConsoleSecurityProvider provider = new ConsoleSecurityProvider(home, new SecureRandom(), 1000,
                new LoginGate(System::nanoTime), new ConsoleLogins(entry -> {
                    throw new IllegalStateException("the store is down");
                }));
        String generated = Files.readString(home.resolve("secrets/console-password")).trim();
        Map<String, Object> sent = new HashMap<>();

        assertNull(provider.authenticate(request(basic("admin", generated)), response(sent)));
        assertEquals(429, sent.get("status"), "asked to come back, not let in unaudited");
    }

    @Test
    void acceptsOnlyTheGeneratedPassword() throws IOException {
        AtomicLong now = new AtomicLong();
        ConsoleSecurityProvider provider = provider(new LoginGate(now::get));
        String generated = Files.readString(home.resolve("secrets/console-password")).trim();

        assertNotNull(provider.authenticate(request(basic("admin", generated)), response(new HashMap<>())));
        assertNotNull(provider.authenticate(request(basic("admin", generated)), response(new HashMap<>())), "remembered");
        assertTrue(provider.authorize("admin", "any"));

        for (String header : new String[] {basic("admin", "admin"), basic("other", generated),
                basic("admin", generated + "x"), "Basic !!!", "Bearer x", null}) {
            now.addAndGet(LoginGate.PAUSE_AFTER_FAILURE_NANOS); // past the pause after the previous wrong password
            Map<String, Object> sent = new HashMap<>();
            assertNull(provider.authenticate(request(header), response(sent)), String.valueOf(header));
            assertEquals(401, sent.get("status"));
            assertTrue(String.valueOf(sent.get("WWW-Authenticate")).startsWith("Basic realm="));
        }
    }

    @Test
    void aLoginArrivingWhileAnotherIsCheckedIsAnsweredAtOnceNotQueued() throws Exception {
        LoginGate gate = new LoginGate(() -> 0L);
        ConsoleSecurityProvider provider = provider(gate);
        String generated = Files.readString(home.resolve("secrets/console-password")).trim();

        assertTrue(gate.tryEnter(), "another login's password is being checked");
        for (String password : new String[] {"wrong", generated}) {
            Map<String, Object> sent = new HashMap<>();
            assertNull(provider.authenticate(request(basic("admin", password)), response(sent)));
            assertEquals(429, sent.get("status"), "refused at once, not after waiting for the check in progress");
            assertEquals("1", sent.get("Retry-After"));
        }
        gate.leave(true);
        assertNotNull(provider.authenticate(request(basic("admin", generated)), response(new HashMap<>())));
    }

    @Test
    void afterAWrongPasswordNoPasswordIsCheckedForAPause() throws Exception {
        AtomicLong now = new AtomicLong();
        ConsoleSecurityProvider provider = provider(new LoginGate(now::get));
        String generated = Files.readString(home.resolve("secrets/console-password")).trim();

        Map<String, Object> wrong = new HashMap<>();
        assertNull(provider.authenticate(request(basic("admin", "wrong")), response(wrong)));
        assertEquals(401, wrong.get("status"));
        now.addAndGet(LoginGate.PAUSE_AFTER_FAILURE_NANOS - 1);
        Map<String, Object> paused = new HashMap<>();
        assertNull(provider.authenticate(request(basic("admin", generated)), response(paused)));
        assertEquals(429, paused.get("status"), "even the right password waits out the pause");
        now.incrementAndGet();
        assertNotNull(provider.authenticate(request(basic("admin", generated)), response(new HashMap<>())));
    }

    @Test
    void aRequestThatMayChangeSomethingMustComeFromTheConsolesOwnOrigin() throws IOException {
        ConsoleSecurityProvider provider = provider(new LoginGate(System::nanoTime));
        String credentials = basic("admin", Files.readString(home.resolve("secrets/console-password")).trim());
        String host = "127.0.0.1:8080";

        for (Map<String, String> proof : List.of(Map.of("Origin", "http://127.0.0.1:8080"),
                Map.of("Origin", "https://127.0.0.1:8080"), Map.of("Referer", "http://127.0.0.1:8080/system/console/bundles"))) {
            Map<String, String> headers = new HashMap<>(proof);
            headers.put("Authorization", credentials);
            headers.put("Host", host);
            assertNotNull(provider.authenticate(request("POST", headers), response(new HashMap<>())), proof.toString());
        }
        for (Map<String, String> proof : List.of(Map.<String, String>of(), Map.of("Origin", "http://evil.example"),
                Map.of("Origin", "null"), Map.of("Origin", "http://127.0.0.1:8081"),
                Map.of("Origin", "http://127.0.0.1:8080.evil.example"), Map.of("Referer", "http://evil.example/?127.0.0.1:8080"),
                Map.of("Origin", "http://evil.example", "Referer", "http://127.0.0.1:8080/"),
                Map.of("Origin", "http://admin@127.0.0.1:8080"))) {
            for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
                Map<String, String> headers = new HashMap<>(proof);
                headers.put("Authorization", credentials);
                headers.put("Host", host);
                Map<String, Object> sent = new HashMap<>();
                assertNull(provider.authenticate(request(method, headers), response(sent)), method + " " + proof);
                assertEquals(403, sent.get("status"), method + " " + proof);
            }
        }
        Map<String, String> plainRead = new HashMap<>(Map.of("Authorization", credentials, "Host", host));
        assertNotNull(provider.authenticate(request("GET", plainRead), response(new HashMap<>())), "a read needs no origin");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpServletRequest request(String authorization) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", authorization);
        return request("GET", headers);
    }

    private static HttpServletRequest request(String method, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(ConsoleSecurityProviderTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getHeader" -> headers.get((String) a[0]);
                    default -> null;
                });
    }

    private static HttpServletResponse response(Map<String, Object> sent) {
        return (HttpServletResponse) Proxy.newProxyInstance(ConsoleSecurityProviderTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setHeader" -> sent.put((String) a[0], a[1]);
                        case "sendError", "setStatus" -> sent.put("status", a[0]);
                        default -> { }
                    }
                    return null;
                });
    }
}
