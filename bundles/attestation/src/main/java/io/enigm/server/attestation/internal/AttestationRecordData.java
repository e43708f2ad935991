package io.enigm.server.attestation.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.store.Database;
import io.enigm.server.store.EnvironmentTableData;

/**
 * Providers' records of an environment's devices, for the erasure of deleted environments. Their
 * handles are already unlinkable once the environment's key is destroyed; the rows still go, so
 * retention stays what the design says.
 */
@Component(service = EnvironmentData.class)
public class AttestationRecordData extends EnvironmentTableData {

    @Activate
    public AttestationRecordData(@Reference Database database) {
        super(database, "attestation", "attestation_record");
    }
}
