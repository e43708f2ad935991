package io.enigm.server.attestation.internal;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Component;

import io.enigm.server.environment.EnvironmentData;

/**
 * Providers' records of an environment's devices, for the erasure of deleted environments. Their
 * handles are already unlinkable once the environment's key is destroyed; the rows still go, so
 * retention stays what the design says.
 */
@Component(service = EnvironmentData.class)
public class AttestationRecordData implements EnvironmentData {

    @Override
    public String name() {
        return "attestation";
    }

    @Override
    public boolean holds(Handle handle, String environmentId) {
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM attestation_record WHERE environment_id = :env)")
                .bind("env", environmentId).mapTo(Boolean.class).one();
    }

    @Override
    public void erase(Handle handle, String environmentId) {
        handle.createUpdate("DELETE FROM attestation_record WHERE environment_id = :env")
                .bind("env", environmentId).execute();
    }
}
