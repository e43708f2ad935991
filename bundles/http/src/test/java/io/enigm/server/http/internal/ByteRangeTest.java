package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one byte range a Range header asks of an object, as RFC 9110 reads it. */
class ByteRangeTest {

    @Test
    void aRangeIsCutToTheObjectsEnd() {
        assertEquals(new ByteRange(0, 99), ByteRange.of("bytes=0-99", 1000));
        assertEquals(new ByteRange(900, 999), ByteRange.of("bytes=900-5000", 1000));
        assertEquals(new ByteRange(10, 999), ByteRange.of("bytes=10-", 1000));
        assertEquals(new ByteRange(990, 999), ByteRange.of("bytes=-10", 1000));
        assertEquals(new ByteRange(0, 999), ByteRange.of("bytes=-5000", 1000));
        assertEquals("bytes 10-19/1000", new ByteRange(10, 19).contentRange(1000));
        assertEquals(10, new ByteRange(10, 19).length());
    }

    @Test
    void whatIsNotOneRangeOfBytesIsTheWholeObject() {
        for (String header : new String[] {null, "items=0-1", "bytes=0-1,5-6", "bytes=abc", "bytes=5-2", "bytes=",
                "bytes=1"}) {
            assertNull(ByteRange.of(header, 1000), header);
        }
    }

    @Test
    void aRangePastTheEndIs416NamingTheSize() {
        for (String header : new String[] {"bytes=1000-", "bytes=1000-2000", "bytes=-0"}) {
            ApiProblem problem = assertThrows(ApiProblem.class, () -> ByteRange.of(header, 1000), header);
            assertEquals(416, problem.status());
            assertEquals(Map.of("Content-Range", "bytes */1000"), problem.headers());
        }
        assertEquals(416, assertThrows(ApiProblem.class, () -> ByteRange.of("bytes=-1", 0)).status());
    }
}
