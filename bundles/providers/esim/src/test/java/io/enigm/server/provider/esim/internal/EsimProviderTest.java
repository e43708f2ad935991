package io.enigm.server.provider.esim.internal;

import static io.enigm.server.attestation.spi.SignalCategory.ESIM_BINDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.attestation.internal.Installation;
import io.enigm.server.attestation.internal.ProviderRegistry;
import io.enigm.server.attestation.registry.AttestationChange;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.common.ConflictException;

/** The eSIM provider through the real registry and records. */
class EsimProviderTest {

    private static final String ICCID = "8944500102198304826";

    @TempDir
    Path directory;

    private Installation installation;
    private ProviderRegistry registry;
    private DeviceRef device;

    @BeforeEach
    void setUp() {
        installation = new Installation(directory);
        registry = installation.registry(Map.of("defaultBudgetMillis", 5000));
        Installation.deploy(registry, new EsimProvider(Installation.configuration(EsimConfiguration.class, Map.of())));
        device = new DeviceRef(installation.environment("eSIM"), "member-1", "device-1", new byte[0]);
    }

    @AfterEach
    void tearDown() {
        Installation.stop(registry);
    }

    @Test
    void isListedAsItsServicePropertiesStateIt() {
        assertEquals(List.of(new ProviderInfo("esim", "eSIM profile binding", "1.0.0", ESIM_BINDING,
                Installation.TEST_BUNDLE, true)), registry.providers());
    }

    @Test
    void passesOnlyWhileAnActiveProfileIsBound() throws Exception {
        assertEquals("NO_PROFILE", observe().reasonCode());
        Map<String, Object> activated = operate("activate", Map.of("iccid", ICCID));
        assertNotEquals(ICCID, activated.get("iccid"), "the ICCID is kept as a handle");
        assertFalse(installation.count("attestation_record") == 0);
        assertEquals("PROFILE_ACTIVATED", observe().reasonCode());
        operate("bind", Map.of());
        assertTrue(observe().passed());
        operate("unlink", Map.of());
        assertEquals("PROFILE_UNLINKED", observe().reasonCode());
        operate("retire", Map.of());
        assertEquals("PROFILE_RETIRED", observe().reasonCode());
        operate("activate", Map.of("iccid", "8944500102198304827"));
        operate("bind", Map.of());
        assertTrue(observe().passed(), "a new profile after the old one was retired");
    }

    @Test
    void illegalTransitionsAreConflicts() throws Exception {
        for (String operation : List.of("bind", "unlink", "retire")) {
            assertRefused(AttestationException.Reason.CONFLICT, operation, Map.of());
        }
        operate("activate", Map.of("iccid", ICCID));
        assertRefused(AttestationException.Reason.CONFLICT, "activate", Map.of("iccid", ICCID));
        assertRefused(AttestationException.Reason.CONFLICT, "unlink", Map.of());
        operate("bind", Map.of());
        assertRefused(AttestationException.Reason.CONFLICT, "bind", Map.of());
        operate("retire", Map.of());
        for (String operation : List.of("bind", "unlink", "retire")) {
            assertRefused(AttestationException.Reason.CONFLICT, operation, Map.of());
        }
        assertFalse(observe().passed());
    }

    @Test
    void badIccidsAreRefusedAndStoreNothing() {
        for (Object iccid : List.of("123", "89445001021983048261234", "89ABCDEF0102198304", 8944500102198304826L)) {
            assertRefused(AttestationException.Reason.INVALID_REQUEST, "activate", Map.of("iccid", iccid));
        }
        assertRefused(AttestationException.Reason.INVALID_REQUEST, "activate", Map.of());
        assertEquals(0, installation.count("attestation_record"));
    }

    @Test
    void theSameIccidInTwoEnvironmentsGivesUnrelatedHandles() throws Exception {
        DeviceRef elsewhere = new DeviceRef(installation.environment("Other"), "member-2", "device-2", new byte[0]);
        Object here = operate("activate", Map.of("iccid", ICCID)).get("iccid");
        Object there = Installation.operate(registry, elsewhere, "esim", "activate", Map.of("iccid", ICCID)).get("iccid");
        assertNotEquals(here, there);
    }

    @Test
    void anIccidVouchesForOneDeviceOfTheEnvironmentUntilItIsUnlinked() throws Exception {
        operate("activate", Map.of("iccid", ICCID));
        operate("bind", Map.of());
        DeviceRef otherMembersDevice = new DeviceRef(device.environmentId(), "member-2", "device-2", new byte[0]);
        AttestationException taken = assertThrows(AttestationException.class, () -> Installation.operate(registry,
                otherMembersDevice, "esim", "activate", Map.of("iccid", ICCID)));
        assertEquals(AttestationException.Reason.CONFLICT, taken.reason());
        assertFalse(registry.observe(otherMembersDevice, Set.of(ESIM_BINDING), Map.of()).get(ESIM_BINDING).passed());

        AttestationChange unlinked = registry.prepareOperation(device, "esim", "unlink", Map.of());
        assertTrue(unlinked.endsSessions(), "the sessions the profile vouched for end");
        unlinked.apply();
        Installation.operate(registry, otherMembersDevice, "esim", "activate", Map.of("iccid", ICCID));
        assertEquals("ACTIVATED", registry.describe(otherMembersDevice, "esim").get("state"));
    }

    @Test
    void twoDevicesRacingForOneIccidCannotBothHaveIt() throws Exception {
        DeviceRef otherMembersDevice = new DeviceRef(device.environmentId(), "member-2", "device-2", new byte[0]);
        AttestationChange first = registry.prepareOperation(device, "esim", "activate", Map.of("iccid", ICCID));
        AttestationChange second = registry.prepareOperation(otherMembersDevice, "esim", "activate",
                Map.of("iccid", ICCID));
        first.apply();
        assertThrows(ConflictException.class, second::apply);
        assertEquals("NO_PROFILE", registry.describe(otherMembersDevice, "esim").get("state"));
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EsimProvider(
                Installation.configuration(EsimConfiguration.class, Map.of("signalLifetimeSeconds", 5))));
    }

    private Observation observe() {
        return registry.observe(device, Set.of(ESIM_BINDING), Map.of()).get(ESIM_BINDING);
    }

    private Map<String, Object> operate(String operation, Map<String, Object> request) throws AttestationException {
        return Installation.operate(registry, device, "esim", operation, request);
    }

    private void assertRefused(AttestationException.Reason reason, String operation, Map<String, Object> request) {
        AttestationException refused = assertThrows(AttestationException.class, () -> operate(operation, request));
        assertEquals(reason, refused.reason(), operation);
    }
}
