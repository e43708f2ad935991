package io.enigm.server.attestation.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.store.Database;
import io.enigm.server.store.EnvironmentTableData;

/** Which device of an environment each bound identifier vouches for, erased with the environment. */
@Component(service = EnvironmentData.class)
public class AttestationBindingData extends EnvironmentTableData {

    @Activate
    public AttestationBindingData(@Reference Database database) {
        super(database, "attestation.binding", "attestation_binding");
    }
}
