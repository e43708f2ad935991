package io.enigm.server.policy.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.store.Database;
import io.enigm.server.store.EnvironmentTableData;

/**
 * The grace-period ledger of an environment, for the erasure of deleted environments: its rows
 * name devices, which are gone with the environment. Policy versions stay, like the audit: they
 * hold rules and administrators' token ids, nothing about members.
 */
@Component(service = EnvironmentData.class)
public class GraceLedgerData extends EnvironmentTableData {

    @Activate
    public GraceLedgerData(@Reference Database database) {
        super(database, "policy.grace", "policy_grace");
    }
}
