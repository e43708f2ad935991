package io.enigm.server.attestation.spi;

import java.util.Optional;

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

    /**
     * The single-use nonce the server issued for the device attempt this evaluation serves (a
     * session being opened or renewed), which a possession proof must sign, so that one proof
     * serves one attempt; the server forgets it once used, expired, or restarted. Empty when no
     * device attempt is being decided (an administrator's operation, a simulation): a provider
     * whose proof needs it then answers {@link SignalResult#UNKNOWN}.
     *
     * @since 1.2
     */
    Optional<String> challenge();

    /**
     * In {@link AttestationProvider#operate}: closes the device's open sessions when the operation
     * commits, for an operation that withdraws the assurance they were opened with (a Key marked
     * lost, an eSIM unlinked). Does nothing in {@link AttestationProvider#evaluate}.
     *
     * @since 1.2
     */
    void endSessions();
}
