package io.enigm.server.audit.verifier;

import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/** The lines of an export in order, one ahead visible, each read strictly as an {@link ExportLine}. */
final class ExportReader {

    /** An export that is not one: not JSON Lines of format 1, or a line missing what its type needs. */
    static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableException(String message) {
            super(message);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** One parser over the whole file: a parser and a string per line cost as much as the hashing. */
    private final JsonParser parser;
    private ExportLine ahead;
    private long number;

    ExportReader(InputStream in) throws IOException, UnreadableException {
        this.parser = JSON.createParser(in);
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
        try {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            number++;
            int line = parser.currentLocation().getLineNr();
            if (line != number) {
                throw new UnreadableException("line " + line + ": not one JSON object per line");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new UnreadableException("line " + number + ": not an export line (not a JSON object)");
            }
            ExportLine read = ExportLines.read(parser);
            if (read.type() == null) {
                throw new UnreadableException("line " + number + ": not an export line (no type)");
            }
            return read;
        } catch (JsonProcessingException e) {
            throw new UnreadableException("line " + number + ": not an export line (" + e.getOriginalMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw new UnreadableException("line " + number + ": not an export line (" + e.getMessage() + ")");
        }
    }
}
