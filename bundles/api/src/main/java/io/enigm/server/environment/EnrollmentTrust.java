package io.enigm.server.environment;

/** The trust state a newly enrolled device starts in. */
public enum EnrollmentTrust {
    /** A device administrator must trust it before it is used. */
    PENDING,
    /** It is trusted on enrollment. */
    TRUSTED
}
