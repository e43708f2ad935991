package io.enigm.server.audit.verifier;

/**
 * What checking an export found.
 *
 * @param records         record lines read (shown in full)
 * @param withheld        withheld lines read (another environment's records, by their link)
 * @param linksOnTrust    withheld records from before salts, whose link the export states but cannot prove
 * @param checkpoints     signed checkpoints that vouched for a record, the export's head among them
 * @param firstSequence   the first sequence number of the export
 * @param lastSequence    the last sequence number read
 * @param brokenAt        the first sequence number where the chain is broken, {@code null} when intact
 * @param problem         how it is broken there, {@code null} when intact
 * @param detail          what exactly was found, for a person
 */
record Verdict(long records, long withheld, long linksOnTrust, long checkpoints, long firstSequence,
        long lastSequence, Long brokenAt, Problem problem, String detail) {

    /** How an export can be broken. */
    enum Problem {
        /** A record's fields no longer give its hash, or a stretch was rewritten under a signed checkpoint. */
        CHANGED,
        /** A record the chain had is gone. */
        MISSING,
        /** A record stands where the chain had none. */
        INSERTED,
        /** Records are out of their order. */
        REORDERED,
        /** A checkpoint's signature is not the installation's audit key's. */
        FORGED_CHECKPOINT,
        /** Records were cut from the end: a signed checkpoint vouches for records the export lacks. */
        TRUNCATED
    }

    boolean intact() {
        return brokenAt == null;
    }

    /** The verdict as the verifier prints it. */
    String describe() {
        String shown = withheld == 0 ? records + " records"
                : records + " records shown, " + withheld + " withheld";
        String trust = linksOnTrust == 0 ? ""
                : "; " + linksOnTrust + " withheld links from before salted hashes are taken on the export's word";
        if (intact()) {
            return "intact: " + shown + ", sequence " + firstSequence + " to " + lastSequence + ", " + checkpoints
                    + " signed checkpoints" + trust;
        }
        return "broken at sequence " + brokenAt + ": " + problem.name().toLowerCase().replace('_', ' ') + " ("
                + detail + ")";
    }
}
