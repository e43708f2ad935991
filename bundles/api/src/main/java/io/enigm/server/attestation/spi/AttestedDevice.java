package io.enigm.server.attestation.spi;

import org.osgi.annotation.versioning.ProviderType;

/** The device a provider is asked about, as the server knows it. */
@ProviderType
public interface AttestedDevice {

    String environmentId();

    String memberId();

    String deviceId();

    /** The device's Ed25519 public key, X.509 SubjectPublicKeyInfo DER. */
    byte[] publicKey();

    /**
     * The privacy-preserving handle of an external identifier (an ICCID, a key serial) in this
     * device's environment: the same identifier gives unrelated handles in different environments.
     */
    String handleOf(String externalIdentifier);

    /** This provider's records for this device. */
    ProviderRecords records();
}
