package io.enigm.server.shell.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The client's half of the protocol: one line out, the output until the end line back. */
class ShellClientTest {

    @Test
    void theClientPrintsTheOutputUntilTheEndLineAndReportsHowTheCommandEnded() throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BufferedReader answers = new BufferedReader(new StringReader(
                "line one\n\nline three\n" + ShellProtocol.end(true) + "error: no\n" + ShellProtocol.end(false)));
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        assertTrue(ShellClient.send("enigm:health", sent, answers, out), "the first command succeeded");
        assertFalse(ShellClient.send("enigm:backup\nrelative", sent, answers, out), "the second failed");

        assertEquals("enigm:health\nenigm:backup relative\n", sent.toString(StandardCharsets.UTF_8),
                "one line per command, a line break inside a command sent as a space");
        assertEquals("line one\n\nline three\nerror: no\n", printed.toString(StandardCharsets.UTF_8).replace(
                System.lineSeparator(), "\n"), "output printed as it came, end lines not");
    }

    @Test
    void aServerThatClosesBeforeTheEndLineIsAnError() {
        BufferedReader answers = new BufferedReader(new StringReader("half an answer\n"));

        assertThrows(IOException.class, () -> ShellClient.send("lb", new ByteArrayOutputStream(), answers,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                "an answer without its end is no answer");
    }
}
