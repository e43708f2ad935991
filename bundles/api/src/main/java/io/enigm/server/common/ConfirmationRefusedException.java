package io.enigm.server.common;

/**
 * A critical operation without the right PIN: missing, wrong or malformed. Distinct from other
 * refusals of a known caller, so that the audit names it for what it is (a possible PIN guess) and
 * never mistakes a rule about who may act on what for one.
 */
public class ConfirmationRefusedException extends ForbiddenException {

    private static final long serialVersionUID = 1L;

    public ConfirmationRefusedException(String message) {
        super(message);
    }
}
