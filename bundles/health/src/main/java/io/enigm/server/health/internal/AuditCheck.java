package io.enigm.server.health.internal;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditStatus;
import io.enigm.server.audit.AuditVerification;

/**
 * Whether the audit chain is readable and, once verified ("verify now" in the console, the shell or
 * the export's verifier), was found intact. A health probe never walks the whole chain itself, and
 * the public health answer never runs this check: a broken chain is an administrator's finding, not
 * a reason to stop serving.
 */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=audit chain",
        HealthCheck.TAGS + "=" + Checks.INSTALLATION, HealthCheck.TAGS + "=" + Checks.INTEGRITY })
public class AuditCheck implements HealthCheck {

    private final AuditLog audit;

    @Activate
    public AuditCheck(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Result execute() {
        AuditStatus status;
        try {
            status = audit.status();
        } catch (RuntimeException e) {
            return new Result(Result.Status.CRITICAL, "The audit chain cannot be read: " + e.getClass().getSimpleName());
        }
        String said = status.records() + " record(s), head at " + status.headSequence()
                + (status.lastCheckpoint() == null ? ", no signed checkpoint yet"
                        : ", last signed checkpoint at " + status.lastCheckpoint().sequence());
        AuditStatus.Verification verified = status.lastVerification();
        if (verified == null) {
            return new Result(Result.Status.OK, said + "; not verified since the server started");
        }
        AuditVerification result = verified.result();
        if (!result.intact()) {
            return new Result(Result.Status.CRITICAL, said + "; the verification of " + verified.finishedAt()
                    + " found it broken at " + result.firstBrokenSequence() + " (" + result.problem() + ")");
        }
        return new Result(Result.Status.OK, said + "; intact when verified at " + verified.finishedAt());
    }
}
