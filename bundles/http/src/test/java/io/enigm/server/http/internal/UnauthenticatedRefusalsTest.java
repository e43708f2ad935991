package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;

/** What anonymous refusals leave in a real audit log, the components wired as DS would. */
class UnauthenticatedRefusalsTest {

    @TempDir
    Path directory;

    private RealComponents components;
    private AuditLog audit;
    private EnvironmentService environments;
    private UnauthenticatedRefusals refusals;
    private final AtomicInteger lookups = new AtomicInteger();

    @BeforeEach
    void open() {
        components = new RealComponents(directory);
        audit = components.audit;
        environments = components.environments;
        refusals = components.unauthenticatedRefusals(lookupsCounted(environments));
    }

    @AfterEach
    void stop() {
        refusals.stop();
    }

    /** The real service, with its lookups by id counted. */
    private EnvironmentService lookupsCounted(EnvironmentService real) {
        return (EnvironmentService) Proxy.newProxyInstance(EnvironmentService.class.getClassLoader(),
                new Class<?>[] {EnvironmentService.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("get")) {
                        lookups.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private List<AuditEntry> records() {
        return components.records();
    }

    private static long represented(List<AuditEntry> entries) {
        return entries.stream().mapToLong(entry -> Long.parseLong(entry.target())).sum();
    }

    @Test
    void aFloodIsOneRecordAtOnceAndOneCountWhenTheWindowEnds() {
        String environment = environments.create(new NewEnvironment("probed", null)).id();
        String made = "a".repeat(40) + "%2e%2e" + "b".repeat(4000);
        for (int i = 0; i < 500; i++) {
            refusals.refused("member.list", environment);
            refusals.refused("member.list", made);
        }
        assertEquals(2, records().size(), "the first of each at once, nothing more yet");
        refusals.flush();
        List<AuditEntry> entries = records();
        assertEquals(4, entries.size());
        assertEquals(1000, represented(entries));
        for (AuditEntry entry : entries) {
            assertEquals(new AuditEntry(null, null, entry.environmentId(), "member.list", entry.target(),
                    AuditOutcome.DENIED, "AUTHENTICATION"), entry);
            assertTrue(entry.environmentId() == null || entry.environmentId().equals(environment));
        }
        assertEquals(Set.of("1", "499"), entries.stream().map(AuditEntry::target).collect(Collectors.toSet()));
        assertEquals(2, audit.list(environment, PageRequest.first(50)).items().size(),
                "the environment's view holds two records, not five hundred");
        refusals.flush();
        assertEquals(4, records().size(), "an empty window writes nothing");
    }

    @Test
    void onlyAnExistingEnvironmentIsNamedAndNeverThePathAsSent() {
        String wellShapedButUnknown = "AAAAAAAAAAAAAAAAAAAAAA";
        refusals.refused("environment.get", wellShapedButUnknown);
        refusals.refused("environment.get", "../../etc/passwd");
        refusals.flush();
        for (AuditRecord record : audit.list(null, PageRequest.first(10)).items()) {
            assertNull(record.entry().environmentId());
            assertTrue(!record.toString().contains(wellShapedButUnknown) && !record.toString().contains("passwd"));
        }
        assertEquals(2, represented(records()));
    }

    @Test
    void aWindowRecordsAtMostTwentyAtOnceAndTellsAtMost32EnvironmentsApart() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(environments.create(new NewEnvironment("e" + i, null)).id());
        }
        for (String id : ids) {
            refusals.refused("member.list", id);
        }
        assertEquals(UnauthenticatedRefusals.IMMEDIATE_PER_WINDOW, records().size());
        refusals.flush();
        List<AuditEntry> entries = records();
        assertEquals(40, represented(entries));
        long attributed = entries.stream().filter(entry -> entry.environmentId() != null).count();
        assertEquals(UnauthenticatedRefusals.ENVIRONMENTS_PER_WINDOW, attributed);
        assertEquals(List.of("8"), entries.stream().filter(entry -> entry.environmentId() == null)
                .map(AuditEntry::target).toList(), "the rest count against the action alone");

        refusals.refused("member.list", ids.get(39));
        assertEquals(ids.get(39), records().get(records().size() - 1).environmentId(), "a new window starts afresh");
    }

    @Test
    void anEnvironmentIsNotLookedUpOnceTheWindowCannotTellItApart() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(environments.create(new NewEnvironment("e" + i, null)).id());
        }
        for (String id : ids) {
            refusals.refused("member.list", id);
        }
        assertEquals(UnauthenticatedRefusals.ENVIRONMENTS_PER_WINDOW, lookups.get(),
                "the refusals beyond the bound count against the action without a lookup");
        refusals.refused("member.list", ids.get(0));
        refusals.refused("member.get", ids.get(0));
        assertEquals(UnauthenticatedRefusals.ENVIRONMENTS_PER_WINDOW + 1, lookups.get(),
                "a pair already told apart still is; a new pair is not");
        refusals.flush();
        List<AuditEntry> entries = records();
        assertEquals(2, represented(entries.stream().filter(entry -> entry.action().equals("member.list")
                && ids.get(0).equals(entry.environmentId())).toList()));
        assertEquals(List.of(Optional.empty()), entries.stream().filter(entry -> entry.action().equals("member.get"))
                .map(entry -> Optional.ofNullable(entry.environmentId())).toList());
    }
}
