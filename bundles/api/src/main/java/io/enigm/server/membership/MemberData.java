package io.enigm.server.membership;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Personal data a bundle keeps about a member or its devices. Register an implementation as a
 * service: when a member's account is closed ({@link AccountClosure}), every registered kind erases
 * what it keeps of that account.
 */
@ConsumerType
public interface MemberData {

    /** Names this kind of data, e.g. {@code content}. */
    String name();

    /**
     * Erases this kind of data of the closed account. The closure calls it inside its write
     * transaction on the calling thread, and the store's transactions join the one under way: what
     * the implementation removes commits together with the closure and its audit record, or not at
     * all. Files or other data outside the database go once the transaction is durable.
     */
    void erase(ClosedAccount account);
}
