package io.enigm.server.attestation.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.membership.ClosedAccount;
import io.enigm.server.membership.MemberData;
import io.enigm.server.store.Database;

/**
 * A closed account's devices as the providers knew them: their records (ICCID, Key serial and
 * posture handles among them) and the bindings of external identifiers to those devices, so that
 * an eSIM or a Key once bound to the member can vouch for another device later.
 */
@Component(service = MemberData.class)
public class ClosedAccountAttestations implements MemberData {

    private final Database database;

    @Activate
    public ClosedAccountAttestations(@Reference Database database) {
        this.database = database;
    }

    @Override
    public String name() {
        return "attestation";
    }

    @Override
    public void erase(ClosedAccount account) {
        if (account.deviceIds().isEmpty()) {
            return;
        }
        database.inTransaction(handle -> {
            for (String table : new String[] {"attestation_record", "attestation_binding"}) {
                handle.createUpdate("DELETE FROM " + table + " WHERE environment_id = :env AND device_id IN (<devices>)")
                        .bind("env", account.environmentId()).bindList("devices", List.copyOf(account.deviceIds())).execute();
            }
            return null;
        });
    }
}
