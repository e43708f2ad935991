package io.enigm.server.audit.verifier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import io.enigm.server.audit.verifier.ExportReader.UnreadableException;
import io.enigm.server.audit.verifier.Verdict.Problem;
import io.enigm.server.support.audit.AuditChain;

/**
 * One pass along an export: the header, the signed checkpoints, every record or withheld record in
 * order, and the signed head. It stops at the first break and, looking one line ahead, tells what
 * kind of break it is.
 */
final class ChainWalk {

    /** The first break, thrown to end the walk there. */
    private static final class Broken extends Exception {
        private static final long serialVersionUID = 1L;
        final long at;
        final Problem problem;

        Broken(long at, Problem problem, String detail) {
            super(detail, null, false, false);
            this.at = at;
            this.problem = problem;
        }
    }

    private final ExportReader lines;
    /** The key the export must be signed with, when the auditor has it from the installation; else null. */
    private final byte[] trusted;
    private final Map<Long, List<String>> signedHashes = new HashMap<>();
    private final TreeSet<Long> forged = new TreeSet<>();
    private CheckpointKey key;
    private long firstSequence;
    private long expected;
    private String lastHash;
    private long lastVouched;
    /** The latest signed retention statement: where a retained part may start. */
    private ExportLine retained;
    private long records;
    private long withheld;
    private long linksOnTrust;
    private long vouched;

    ChainWalk(ExportReader lines) {
        this(lines, null);
    }

    /** @param trusted the installation's audit public key (X.509), which the export must name; null: any */
    ChainWalk(ExportReader lines, byte[] trusted) {
        this.lines = lines;
        this.trusted = trusted == null ? null : trusted.clone();
    }

    Verdict verify() throws IOException, UnreadableException {
        try {
            header();
            checkpoints();
            start();
            while (lines.peek() != null && isRecord(lines.peek())) {
                record(lines.next());
            }
            head();
            return verdict(null);
        } catch (Broken broken) {
            return verdict(broken);
        }
    }

    private Verdict verdict(Broken broken) {
        return new Verdict(records, withheld, linksOnTrust, vouched, firstSequence, expected - 1,
                broken == null ? null : broken.at, broken == null ? null : broken.problem,
                broken == null ? null : broken.getMessage());
    }

    private void header() throws IOException, UnreadableException {
        ExportLine header = lines.next();
        if (header == null || !ExportLine.HEADER.equals(header.type())) {
            throw lines.unreadable("an export starts with its header line");
        }
        if (!Objects.equals(header.format(), 1)) {
            throw lines.unreadable("export format " + header.format() + " is not format 1");
        }
        if (header.firstSequence() == null || header.firstSequence() < 1 || header.previousHash() == null
                || header.checkpointKey() == null) {
            throw lines.unreadable("the header lacks firstSequence, previousHash or checkpointKey");
        }
        try {
            key = new CheckpointKey(Base64.getDecoder().decode(header.checkpointKey()));
        } catch (IllegalArgumentException e) {
            throw lines.unreadable("the checkpoint key is not an Ed25519 public key in X.509, base64");
        }
        firstSequence = header.firstSequence();
        expected = firstSequence;
        lastHash = header.previousHash();
    }

    private void checkpoints() throws IOException, UnreadableException {
        while (lines.peek() != null && ExportLine.RETENTION.equals(lines.peek().type())) {
            ExportLine statement = checkpointLine(lines.next());
            // one not signed as a retention statement vouches for nothing: the start then shows as cut
            if (isSigned(statement, AuditChain.retentionStatement(statement.sequence(), statement.hash(),
                    statement.createdAt())) && (retained == null || statement.sequence() > retained.sequence())) {
                retained = statement;
            }
        }
        while (lines.peek() != null && ExportLine.CHECKPOINT.equals(lines.peek().type())) {
            ExportLine checkpoint = checkpointLine(lines.next());
            if (isSigned(checkpoint)) {
                signedHashes.computeIfAbsent(checkpoint.sequence(), at -> new ArrayList<>()).add(checkpoint.hash());
            } else {
                forged.add(checkpoint.sequence());
            }
        }
    }

    /** Where the export starts: the genesis, or the hash a signed retention statement names (a retained part). */
    private void start() throws Broken {
        if (trusted != null && !key.is(trusted)) {
            throw new Broken(firstSequence, Problem.FORGED_CHECKPOINT, "the export is signed with another key than"
                    + " the installation's audit key given with --key");
        }
        if (firstSequence == 1 && !AuditChain.GENESIS_HASH.equals(lastHash)) {
            throw new Broken(1, Problem.CHANGED, "the first record must follow the genesis hash");
        }
        if (firstSequence > 1) {
            // only the retention removes records from the start, and it signs where the rest starts
            if (retained == null || retained.sequence() < firstSequence - 1) {
                throw new Broken(firstSequence, Problem.MISSING, "the export starts at " + firstSequence
                        + ", but no signed retention statement says records up to " + (firstSequence - 1)
                        + " were removed by the retention");
            }
            if (retained.sequence() == firstSequence - 1) {
                if (!retained.hash().equals(lastHash)) {
                    throw new Broken(firstSequence, Problem.MISSING, "the export starts after " + (firstSequence - 1)
                            + ", but not from the hash the retention statement signed");
                }
                lastVouched = firstSequence - 1;
            } else {
                // a sweep cut short: the records of its span that are left must reach the signed hash
                signedHashes.computeIfAbsent(retained.sequence(), at -> new ArrayList<>()).add(retained.hash());
            }
        }
    }

    private void record(ExportLine line) throws IOException, UnreadableException, Broken {
        recordLine(line);
        long at = line.sequence();
        if (!forged.isEmpty() && forged.first() <= at) {
            throw forgedCheckpoint(forged.first());
        }
        if (at > expected) {
            ExportLine next = lines.peek();
            if (next != null && isRecord(next) && Objects.equals(next.sequence(), expected)) {
                throw new Broken(expected, Problem.REORDERED, "sequence " + at + " comes before " + expected);
            }
            throw new Broken(expected, Problem.MISSING, expected == at - 1 ? "record " + expected + " is gone"
                    : "records " + expected + " to " + (at - 1) + " are gone");
        }
        if (at < expected) {
            throw at == expected - 1
                    ? new Broken(at, Problem.INSERTED, "sequence " + at + " appears twice")
                    : new Broken(at, Problem.REORDERED, "sequence " + at + " comes after " + (expected - 1));
        }
        String own = line.hashAt(at);
        if (own == null) {
            linksOnTrust++;
        } else if (!own.equals(line.hash())) {
            throw misplacedOrChanged(line, at);
        }
        if (!line.previousHash().equals(lastHash)) {
            throw new Broken(at, Problem.CHANGED, "it names a previous hash that is not record " + (at - 1)
                    + "'s: the record before it was replaced");
        }
        if (ExportLine.RECORD.equals(line.type())) {
            records++;
        } else {
            withheld++;
        }
        lastHash = line.hash();
        expected = at + 1;
        for (String signed : signedHashes.getOrDefault(at, List.of())) {
            if (!signed.equals(lastHash)) {
                throw rewritten(at);
            }
            vouched++;
            lastVouched = at;
        }
    }

    /** A record whose content no longer gives its hash at its place: moved, stood in for another, or changed. */
    private Broken misplacedOrChanged(ExportLine line, long at) {
        ExportLine next = lines.peek();
        boolean nextBelongsHere = next != null && isRecord(next) && next.previousHash() != null
                && next.hash() != null && next.hash().equals(next.hashAt(at));
        if (line.hash().equals(line.hashAt(at + 1))) {
            return nextBelongsHere
                    ? new Broken(at, Problem.REORDERED, "records " + at + " and " + (at + 1) + " are swapped")
                    : new Broken(at, Problem.MISSING, "record " + at + " is gone and the records after it renumbered");
        }
        if (nextBelongsHere && lastHash.equals(next.previousHash())) {
            return new Broken(at, Problem.INSERTED, "record " + at + " does not belong: the record after it follows "
                    + (at - 1));
        }
        return new Broken(at, Problem.CHANGED, "its fields no longer give its hash");
    }

    private Broken rewritten(long at) {
        return new Broken(lastVouched + 1, Problem.CHANGED, "records " + (lastVouched + 1) + " to " + at
                + " were rewritten: the chain no longer ends in the hash the signed checkpoint at " + at + " names");
    }

    private Broken forgedCheckpoint(long at) {
        return new Broken(at, Problem.FORGED_CHECKPOINT, "the checkpoint at " + at
                + " is not signed by the export's checkpoint key");
    }

    /** The signed head ends the export: without it the export was cut short. */
    private void head() throws IOException, UnreadableException, Broken {
        long last = expected - 1;
        ExportLine head = lines.next();
        if (head == null) {
            throw new Broken(expected, Problem.TRUNCATED, "the export ends after sequence " + last
                    + " without its signed head line: it was cut short");
        }
        if (!ExportLine.HEAD.equals(head.type())) {
            throw lines.unreadable("a " + head.type() + " line where records or the head line belong");
        }
        checkpointLine(head);
        if (lines.peek() != null) {
            throw lines.unreadable("lines after the head line");
        }
        if (!isSigned(head)) {
            throw forgedCheckpoint(head.sequence());
        }
        if (head.sequence() > last) {
            throw new Broken(expected, Problem.TRUNCATED, "the signed head is at " + head.sequence()
                    + ", the records end at " + last);
        }
        if (head.sequence() < last) {
            throw new Broken(head.sequence() + 1, Problem.INSERTED, "records after the signed head at "
                    + head.sequence());
        }
        if (!head.hash().equals(lastHash)) {
            throw rewritten(last);
        }
        vouched++;
        if (!forged.isEmpty()) {
            throw forgedCheckpoint(forged.first());
        }
        long beyond = signedHashes.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        if (beyond > last) {
            throw new Broken(expected, Problem.TRUNCATED, "records " + expected + " to " + beyond
                    + " are gone: the signed checkpoint at " + beyond + " vouches for them");
        }
    }

    private boolean isSigned(ExportLine checkpoint) {
        return isSigned(checkpoint, AuditChain.checkpointStatement(checkpoint.sequence(), checkpoint.hash(),
                checkpoint.createdAt()));
    }

    private boolean isSigned(ExportLine line, byte[] statement) {
        return key.signed(statement, line.signature());
    }

    private static boolean isRecord(ExportLine line) {
        return ExportLine.RECORD.equals(line.type()) || ExportLine.WITHHELD.equals(line.type());
    }

    private ExportLine checkpointLine(ExportLine line) throws UnreadableException {
        if (line.sequence() == null || line.hash() == null || line.createdAt() == null || line.signature() == null) {
            throw lines.unreadable("a " + line.type() + " line needs sequence, hash, createdAt and signature");
        }
        return line;
    }

    private void recordLine(ExportLine line) throws UnreadableException {
        if (line.sequence() == null || line.previousHash() == null || line.hash() == null
                || ExportLine.RECORD.equals(line.type()) && (line.recordedAt() == null || line.action() == null
                        || line.outcome() == null)) {
            throw lines.unreadable("a " + line.type() + " line lacks a field its hash needs");
        }
    }
}
