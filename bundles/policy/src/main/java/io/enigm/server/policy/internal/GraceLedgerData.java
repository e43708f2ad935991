package io.enigm.server.policy.internal;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Component;

import io.enigm.server.environment.EnvironmentData;

/**
 * The grace-period ledger of an environment, for the erasure of deleted environments: its rows
 * name devices, which are gone with the environment. Policy versions stay, like the audit: they
 * hold rules and administrators' token ids, nothing about members.
 */
@Component(service = EnvironmentData.class)
public class GraceLedgerData implements EnvironmentData {

    @Override
    public String name() {
        return "policy.grace";
    }

    @Override
    public boolean holds(Handle handle, String environmentId) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM policy_grace WHERE environment_id = :env)")
                .bind("env", environmentId).mapTo(Boolean.class).one();
    }

    @Override
    public void erase(Handle handle, String environmentId) {
        handle.createUpdate("DELETE FROM policy_grace WHERE environment_id = :env")
                .bind("env", environmentId).execute();
    }
}
