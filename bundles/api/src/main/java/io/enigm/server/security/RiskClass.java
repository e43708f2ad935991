package io.enigm.server.security;

/** How much a security event weighs for review, lowest first. A signal is input for review, not a verdict. */
public enum RiskClass {
    LOW, MEDIUM, HIGH, CRITICAL
}
