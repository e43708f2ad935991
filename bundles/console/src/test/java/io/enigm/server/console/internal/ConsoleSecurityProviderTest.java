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
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleSecurityProviderTest {

    @TempDir
    Path home;

    @Test
    void acceptsOnlyTheGeneratedPassword() throws IOException {
        ConsoleSecurityProvider provider = new ConsoleSecurityProvider(home, new SecureRandom(), 1000);
        String generated = Files.readString(home.resolve("secrets/console-password")).trim();

        assertNotNull(provider.authenticate(request(basic("admin", generated)), response(new HashMap<>())));
        assertNotNull(provider.authenticate(request(basic("admin", generated)), response(new HashMap<>())), "remembered");
        assertTrue(provider.authorize("admin", "any"));

        for (String header : new String[] {basic("admin", "admin"), basic("other", generated),
                basic("admin", generated + "x"), "Basic !!!", "Bearer x", null}) {
            Map<String, Object> sent = new HashMap<>();
            assertNull(provider.authenticate(request(header), response(sent)), String.valueOf(header));
            assertEquals(401, sent.get("status"));
            assertTrue(String.valueOf(sent.get("WWW-Authenticate")).startsWith("Basic realm="));
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpServletRequest request(String authorization) {
        return (HttpServletRequest) Proxy.newProxyInstance(ConsoleSecurityProviderTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (p, m, a) -> m.getName().equals("getHeader") && "Authorization".equals(a[0]) ? authorization : null);
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
