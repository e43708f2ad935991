package io.enigm.server.attestation.internal;

import org.osgi.service.component.annotations.Component;

import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.environment.EnvironmentTableData;

/** Which device of an environment each bound identifier vouches for, erased with the environment. */
@Component(service = EnvironmentData.class)
public class AttestationBindingData extends EnvironmentTableData {

    public AttestationBindingData() {
        super("attestation.binding", "attestation_binding");
    }
}
