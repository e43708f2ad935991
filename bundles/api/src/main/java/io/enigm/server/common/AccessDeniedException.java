package io.enigm.server.common;

import java.util.List;

/**
 * An access decision refused the request, or asked for more proof first. Only the categories of
 * the decision reach the caller (e.g. {@code DEVICE_TRUST}): never rule text, thresholds or
 * detection logic.
 */
public class AccessDeniedException extends DomainException {

    private static final long serialVersionUID = 1L;

    private final boolean stepUp;
    private final List<String> categories;

    /**
     * @param stepUp     {@code true} when the caller may succeed by proving more (answered 401), {@code false}
     *                   for a refusal (403)
     * @param categories the decision's categories, in a stable order
     */
    public AccessDeniedException(String message, boolean stepUp, List<String> categories) {
        super(message);
        this.stepUp = stepUp;
        this.categories = List.copyOf(categories);
    }

    /** Whether more proof (e.g. a hardware key) could turn the decision into an allow. */
    public boolean stepUp() {
        return stepUp;
    }

    public List<String> categories() {
        return categories;
    }
}
