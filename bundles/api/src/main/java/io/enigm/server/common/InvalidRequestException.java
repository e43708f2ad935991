package io.enigm.server.common;

/** Well-formed input that breaks a rule; {@link #field()} names the offending field. */
public class InvalidRequestException extends DomainException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidRequestException(String field, String rule) {
        super(field + ": " + rule);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
