package io.enigm.server.audit.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports written by the real audit log, then edited as a file: the verifier finds and locates
 * each edit. The chain: records 1 to 6, checkpoints at 1 and 4, so the file is the header (line
 * 0), the checkpoints (1, 2), records 1 to 6 (lines 3 to 8) and the signed head (line 9).
 */
class ExportTamperTest {

    @TempDir
    Path directory;

    private Exports exports;
    private Path export;
    private List<String> lines;

    @BeforeEach
    void sixRecordsTwoCheckpoints() {
        exports = new Exports(directory).append(3).aMinuteLater().append(3);
        export = exports.export(null);
        lines = Exports.lines(export);
    }

    private static int lineOf(long sequence) {
        return 2 + (int) sequence;
    }

    private void assertBroken(String expected, List<String> edited) {
        Exports.Run run = Exports.verify(Exports.write(export, edited));
        assertEquals(expected, run.out().replaceAll(" \\(.*", ""), run.out());
        assertEquals(AuditVerifier.BROKEN, run.exit(), "exit 1 for a broken export");
    }

    @Test
    void anUntouchedExportIsIntact() {
        assertEquals(10, lines.size(), String.join("\n", lines));
        Exports.Run run = Exports.verify(export);
        assertEquals("intact: 6 records, sequence 1 to 6, 3 signed checkpoints", run.out());
        assertEquals(AuditVerifier.INTACT, run.exit());
    }

    @Test
    void aChangedFieldIsFoundAtItsRecord() {
        lines.set(lineOf(3), lines.get(lineOf(3)).replace("\"action-3\"", "\"action-X\""));
        assertBroken("broken at sequence 3: changed", lines);
    }

    @Test
    void theChangesAnUpdateNamesAreCoveredToo() {
        Path renamed = exports.appendRename("Field office", "Head office").export(null);
        assertEquals(AuditVerifier.INTACT, Exports.verify(renamed).exit());
        List<String> edited = Exports.lines(renamed);
        int update = edited.size() - 2;
        assertTrue(edited.get(update).contains("\"changes\":[{\"field\":\"name\",\"before\":\"Field office\","
                + "\"after\":\"Head office\"},{\"field\":\"pin\",\"before\":null,\"after\":null}]"), edited.get(update));
        edited.set(update, edited.get(update).replace("Head office", "Elsewhere"));
        assertBroken("broken at sequence 7: changed", edited);
    }

    @Test
    void aDeletedRecordIsFoundWhereItWas() {
        lines.remove(lineOf(3));
        assertBroken("broken at sequence 3: missing", lines);
    }

    @Test
    void anInsertedRecordIsFound() {
        lines.add(lineOf(3) + 1, lines.get(lineOf(3)).replace("\"action-3\"", "\"action-inserted\""));
        assertBroken("broken at sequence 3: inserted", lines);
    }

    @Test
    void twoSwappedRecordsAreFound() {
        Collections.swap(lines, lineOf(2), lineOf(3));
        assertBroken("broken at sequence 2: reordered", lines);
    }

    @Test
    void aForgedCheckpointIsFound() {
        String fifth = lines.get(lineOf(5)).replaceAll(".*\"hash\":\"([0-9a-f]{64})\".*", "$1");
        lines.set(2, lines.get(2).replaceAll("\"hash\":\"[0-9a-f]{64}\"", "\"hash\":\"" + fifth + "\""));
        assertBroken("broken at sequence 4: forged checkpoint", lines);
    }

    @Test
    void anExportCutAfterItsLastCheckpointIsFound() {
        assertBroken("broken at sequence 6: truncated", lines.subList(0, lineOf(6)));
        assertBroken("broken at sequence 3: truncated", lines.subList(0, lineOf(3)));
    }

    @Test
    void anEnvironmentsExportShowsItsRecordsProvesTheChainAndDisclosesNoOtherRecord() throws Exception {
        Path e1 = exports.export("e1");
        String text = Files.readString(e1);
        assertFalse(text.contains("\"e2\"") || text.contains("action-2") || text.contains("tok-2"), text);
        Exports.Run run = Exports.verify(e1);
        assertEquals("intact: 3 records shown, 3 withheld, sequence 1 to 6, 3 signed checkpoints", run.out());

        List<String> edited = Exports.lines(e1);
        edited.set(lineOf(4), edited.get(lineOf(4)).replaceAll("\"entryDigest\":\"[0-9a-f]", "\"entryDigest\":\"x"));
        assertBroken("broken at sequence 4: changed", edited);
    }

    @Test
    void whatIsNoExportIsUnreadable() throws Exception {
        Files.writeString(export, "{\"type\":\"record\"}\n");
        Exports.Run notAnExport = Exports.verify(export);
        assertEquals(AuditVerifier.UNREADABLE, notAnExport.exit());
        assertEquals("unreadable: line 1: an export starts with its header line", notAnExport.err());

        lines.set(4, "{\"type\":\"record\",");
        Exports.Run halfALine = Exports.verify(Exports.write(export, lines));
        assertEquals(AuditVerifier.UNREADABLE, halfALine.exit());
        assertTrue(halfALine.err().startsWith("unreadable: line 5: not an export line"), halfALine.err());

        assertEquals(AuditVerifier.UNREADABLE, Exports.verify(directory.resolve("absent.jsonl")).exit());
    }
}
