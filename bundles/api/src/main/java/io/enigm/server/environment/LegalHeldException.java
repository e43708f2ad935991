package io.enigm.server.environment;

import io.enigm.server.common.ConflictException;

/** A deletion refused because a legal hold covers what it would delete; the message names the hold. */
public class LegalHeldException extends ConflictException {

    private static final long serialVersionUID = 1L;

    private final transient LegalHold hold;

    public LegalHeldException(LegalHold hold) {
        super("refused: a legal hold on " + (hold.memberId() == null ? "the environment"
                : "member " + hold.memberId()) + ", placed " + hold.placedAt()
                + (hold.until() == null ? " until lifted" : " until " + hold.until())
                + ", covers what this would delete");
        this.hold = hold;
    }

    /** The hold that refused the deletion. */
    public LegalHold hold() {
        return hold;
    }
}
