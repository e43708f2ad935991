package io.enigm.server.audit;

import java.util.List;
import java.util.Objects;

/**
 * What an audit record says. Every field holds handles and categories only: never a token, a
 * secret, content, or a raw external identifier.
 *
 * @param actor         the administrator's handle (an admin token id), or {@code null} when the
 *                      caller was not authenticated
 * @param role          the actor's role, or {@code null} when not authenticated
 * @param environmentId the environment the request was about, or {@code null} for the installation
 * @param action        the action, e.g. {@code environment.create}
 * @param target        the handle of the thing acted on, or {@code null}
 * @param outcome       how the request ended
 * @param category      why it was denied or failed (e.g. {@code AUTHENTICATION}, {@code SCOPE},
 *                      {@code NOT_FOUND}), or {@code null} when allowed
 * @param changes       what an update changed, oldest field first as the action reports them; empty
 *                      for any other action
 */
public record AuditEntry(String actor, String role, String environmentId, String action,
        String target, AuditOutcome outcome, String category, List<AuditChange> changes) {

    public AuditEntry {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** An entry that changes no fields it names. */
    public AuditEntry(String actor, String role, String environmentId, String action, String target,
            AuditOutcome outcome, String category) {
        this(actor, role, environmentId, action, target, outcome, category, List.of());
    }

    /** This entry, naming the fields the action changed. */
    public AuditEntry withChanges(List<AuditChange> changed) {
        return new AuditEntry(actor, role, environmentId, action, target, outcome, category, changed);
    }
}
