package io.enigm.server.policy;

import org.osgi.annotation.versioning.ProviderType;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

/** Versioned policy documents per environment. */
@ProviderType
public interface Policies {

    /** The version in force. */
    PolicyVersion current(String environmentId);

    /**
     * Validates and stores a new version, in force for every decision after this returns.
     *
     * @throws io.enigm.server.common.InvalidRequestException naming the offending field as a JSON
     *         pointer (e.g. {@code /rules/2/require/0}) when the document is invalid or crosses one
     *         of the limits on what a document may cost (the message names the limit); nothing is
     *         compiled or stored then
     */
    PolicyVersion put(String environmentId, String document, String author);

    /** Every version, newest first. */
    Page<PolicyVersion> versions(String environmentId, PageRequest page);
}
