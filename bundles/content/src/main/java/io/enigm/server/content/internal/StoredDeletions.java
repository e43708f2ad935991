package io.enigm.server.content.internal;

import java.time.Clock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.content.ContentDeletions;
import io.enigm.server.content.DeletionJob;
import io.enigm.server.content.DeletionScope;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.support.ids.TimeOrderedIds;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Deletion jobs: starting one marks what it covers, which leaves every answer in the same
 * transaction; its {@link DeletionRunner} erases it afterwards and seals the receipt.
 */
@Component(service = ContentDeletions.class, immediate = true, configurationPid = ContentConfiguration.PID)
public class StoredDeletions implements ContentDeletions {

    private static final Logger LOG = LoggerFactory.getLogger(StoredDeletions.class);

    private final Database database;
    private final EnvironmentService environments;
    private final LegalHolds holds;
    private final CriticalOperationPin pin;
    private final DeletionRunner runner;
    private final Clock clock;

    @Activate
    public StoredDeletions(@Reference Database database, @Reference DataHome home,
            @Reference EnvironmentService environments, @Reference LegalHolds holds,
            @Reference CriticalOperationPin pin, @Reference AuditLog audit, @Reference MeterRegistry meters,
            ContentConfiguration configuration) {
        this(database, home, environments, holds, pin, audit, meters, ContentLimits.of(configuration));
    }

    private StoredDeletions(Database database, DataHome home, EnvironmentService environments, LegalHolds holds,
            CriticalOperationPin pin, AuditLog audit, MeterRegistry meters, ContentLimits limits) {
        this(database, environments, holds, pin, new DeletionRunner(database, holds, audit,
                new ContentErasure(Blobs.of(database, home)), limits.deletionChunk(), meters),
                Clock.systemUTC());
        runner.start(limits.sweepInterval());
        LOG.info("Content deletion jobs erase {} objects per transaction; held jobs retried every {} s",
                limits.deletionChunk(), limits.sweepInterval().toSeconds());
    }

    StoredDeletions(Database database, EnvironmentService environments, LegalHolds holds, CriticalOperationPin pin,
            DeletionRunner runner, Clock clock) {
        this.database = database;
        this.environments = environments;
        this.holds = holds;
        this.pin = pin;
        this.runner = runner;
        this.clock = clock;
    }

    @Deactivate
    void stop() {
        runner.stop();
    }

    @Override
    public DeletionJob start(String environmentId, DeletionScope scope, String memberId, String confirmationPin) {
        if (scope == null) {
            throw new InvalidRequestException("scope", "is required: MEMBER or ALL");
        }
        if (scope == DeletionScope.MEMBER && (memberId == null || memberId.isBlank())) {
            throw new InvalidRequestException("memberId", "is required for scope MEMBER");
        }
        if (scope == DeletionScope.ALL && memberId != null) {
            throw new InvalidRequestException("memberId", "must be absent for scope ALL");
        }
        return database.inTransaction(handle -> {
            environments.get(environmentId);
            holds.holdCovering(environmentId, memberId).ifPresent(hold -> {
                throw new LegalHeldException(hold);
            });
            if (scope == DeletionScope.ALL) {
                pin.verify(confirmationPin);
            }
            DeletionJob job = DeletionRows.start(handle, TimeOrderedIds.next(), environmentId, scope, memberId,
                    clock.instant());
            database.afterCommit(runner::wake);
            return job;
        });
    }

    @Override
    public DeletionJob get(String environmentId, String jobId) {
        return database.read(handle -> DeletionRows.find(handle, environmentId, jobId))
                .orElseThrow(() -> new NotFoundException("deletion job"));
    }
}
