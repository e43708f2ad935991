package io.enigm.server.audit.verifier;

import java.io.BufferedReader;
import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** The lines of an export in order, one ahead visible, each read strictly as an {@link ExportLine}. */
final class ExportReader {

    /** An export that is not one: not JSON Lines of format 1, or a line missing what its type needs. */
    static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableException(String message) {
            super(message);
        }
    }

    private static final ObjectReader LINE = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .readerFor(ExportLine.class);

    private final BufferedReader in;
    private ExportLine ahead;
    private long number;

    ExportReader(BufferedReader in) throws IOException, UnreadableException {
        this.in = in;
        this.ahead = read();
    }

    /** The next line without taking it, {@code null} at the end. */
    ExportLine peek() {
        return ahead;
    }

    /** Takes the next line, {@code null} at the end. */
    ExportLine next() throws IOException, UnreadableException {
        ExportLine line = ahead;
        ahead = read();
        return line;
    }

    /** The number of the line {@link #next()} returned last, counting from 1. */
    long lineNumber() {
        return ahead == null ? number : number - 1;
    }

    UnreadableException unreadable(String what) {
        return new UnreadableException("line " + lineNumber() + ": " + what);
    }

    private ExportLine read() throws IOException, UnreadableException {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        number++;
        try {
            ExportLine line = LINE.readValue(text);
            if (line == null || line.type() == null) {
                throw new UnreadableException("line " + number + ": not an export line (no type)");
            }
            return line;
        } catch (JsonProcessingException e) {
            throw new UnreadableException("line " + number + ": not an export line (" + e.getOriginalMessage() + ")");
        }
    }
}
