package io.enigm.server.audit;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells who the operator acting on the current thread is, for the audit of operator actions
 * (configuration changes, bundles installed or stopped) that the framework reports on the thread
 * that made them. Implemented by each bundle through which operators act (the Web Console's login,
 * the local shell), each knowing only its own threads.
 */
@ProviderType
public interface OperatorActivity {

    /** The operator whose authenticated request the current thread is serving, if any. */
    Optional<String> operatorOnThisThread();
}
