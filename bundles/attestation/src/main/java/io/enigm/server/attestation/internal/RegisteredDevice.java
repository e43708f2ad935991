package io.enigm.server.attestation.internal;

import java.util.Optional;

import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.spi.AttestedDevice;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.privacy.IdentifierKind;
import io.enigm.server.privacy.Pseudonyms;

/**
 * A device as one provider sees it: handles in the device's environment, that provider's records
 * only, and the nonce of the attempt being decided, if any.
 */
final class RegisteredDevice implements AttestedDevice {

    private final DeviceRef device;
    private final IdentifierKind identifierKind;
    private final Pseudonyms pseudonyms;
    private final DeviceRecords records;

    RegisteredDevice(DeviceRef device, SignalCategory category, Pseudonyms pseudonyms, DeviceRecords records) {
        this.device = device;
        this.identifierKind = identifierKind(category);
        this.pseudonyms = pseudonyms;
        this.records = records;
    }

    /**
     * The kind of external identifier a provider of {@code category} hands in. eSIM providers hand in
     * ICCIDs; every other built-in category identifies hardware by serial, and {@link IdentifierKind}
     * has no finer kind: a serial of an MDM agent or an OS build is still a serial.
     */
    static IdentifierKind identifierKind(SignalCategory category) {
        return category == SignalCategory.ESIM_BINDING ? IdentifierKind.ICCID : IdentifierKind.KEY_SERIAL;
    }

    @Override
    public String environmentId() {
        return device.environmentId();
    }

    @Override
    public String memberId() {
        return device.memberId();
    }

    @Override
    public String deviceId() {
        return device.deviceId();
    }

    @Override
    public byte[] publicKey() {
        return device.publicKey() == null ? new byte[0] : device.publicKey().clone();
    }

    @Override
    public String handleOf(String externalIdentifier) {
        if (externalIdentifier == null || externalIdentifier.isBlank()) {
            throw new IllegalArgumentException("an external identifier is required");
        }
        return pseudonyms.handle(device.environmentId(), identifierKind, externalIdentifier);
    }

    @Override
    public DeviceRecords records() {
        return records;
    }

    @Override
    public Optional<String> challenge() {
        return Optional.ofNullable(device.challenge());
    }

    @Override
    public void endSessions() {
        records.endSessions();
    }
}
