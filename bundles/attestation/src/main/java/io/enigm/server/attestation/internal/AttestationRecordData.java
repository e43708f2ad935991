package io.enigm.server.attestation.internal;

import org.osgi.service.component.annotations.Component;

import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.environment.EnvironmentTableData;

/**
 * Providers' records of an environment's devices, for the erasure of deleted environments. Their
 * handles are already unlinkable once the environment's key is destroyed; the rows still go, so
 * retention stays what the design says.
 */
@Component(service = EnvironmentData.class)
public class AttestationRecordData extends EnvironmentTableData {

    public AttestationRecordData() {
        super("attestation", "attestation_record");
    }
}
