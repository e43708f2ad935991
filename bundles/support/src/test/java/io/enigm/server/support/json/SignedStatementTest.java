package io.enigm.server.support.json;

import static io.enigm.server.support.json.SignedStatement.Kind.FLAG;
import static io.enigm.server.support.json.SignedStatement.Kind.TEXT;
import static io.enigm.server.support.json.SignedStatement.Kind.TEXTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SignedStatementTest {

    private static final Map<String, SignedStatement.Kind> FIELDS = Map.of("device", TEXT, "booted", FLAG,
            "flags", TEXTS);

    @Test
    void readsEachExpectedFieldAndSkipsWhatItDoesNotKnow() {
        SignedStatement statement = read("{\"device\":\"d-1\",\"extra\":{\"nested\":[1,{\"deep\":true}]},"
                + "\"booted\":false,\"flags\":[\"a\",\"b\"],\"later\":7}").orElseThrow();
        assertEquals("d-1", statement.text("device"));
        assertFalse(statement.flag("booted"));
        assertEquals(List.of("a", "b"), statement.texts("flags"));
        assertTrue(read("{\"device\":\"d-1\",\"booted\":true,\"flags\":[]}").orElseThrow().flag("booted"));
    }

    @Test
    void anythingButOneCompleteObjectOfTheExpectedKindsIsNoStatement() {
        for (String bad : List.of(
                "",
                "[]",
                "\"text\"",
                "{\"booted\":true,\"flags\":[]}",
                "{\"device\":null,\"booted\":true,\"flags\":[]}",
                "{\"device\":7,\"booted\":true,\"flags\":[]}",
                "{\"device\":\"d-1\",\"booted\":\"true\",\"flags\":[]}",
                "{\"device\":\"d-1\",\"booted\":true,\"flags\":\"a\"}",
                "{\"device\":\"d-1\",\"booted\":true,\"flags\":[\"a\",1]}",
                "{\"device\":\"d-1\",\"booted\":true,\"flags\":[]} {}",
                "{\"device\":\"d-1\",\"booted\":true,\"flags\":[]",
                "{\"device\":\"d-1\",\"booted\":true,\"flags\":[],}")) {
            assertEquals(Optional.empty(), read(bad), bad);
        }
    }

    @Test
    void textAndArraysBeyondTheirLimitsAreNoStatement() {
        assertTrue(read("{\"device\":\"" + "d".repeat(16) + "\",\"booted\":true,\"flags\":[\"a\",\"b\",\"c\"]}")
                .isPresent(), "at the limits");
        assertEquals(Optional.empty(), read("{\"device\":\"" + "d".repeat(17) + "\",\"booted\":true,\"flags\":[]}"));
        assertEquals(Optional.empty(), read("{\"device\":\"d\",\"booted\":true,\"flags\":[\"" + "f".repeat(17)
                + "\"]}"));
        assertEquals(Optional.empty(), read("{\"device\":\"d\",\"booted\":true,\"flags\":[\"a\",\"b\",\"c\",\"d\"]}"));
    }

    private static Optional<SignedStatement> read(String json) {
        return SignedStatement.read(json.getBytes(StandardCharsets.UTF_8), FIELDS, 16, 3);
    }
}
