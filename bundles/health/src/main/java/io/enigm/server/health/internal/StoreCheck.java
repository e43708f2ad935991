package io.enigm.server.health.internal;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.work.UnitOfWork;

/** Whether the store answers a read now. */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=store",
        HealthCheck.TAGS + "=" + Checks.INSTALLATION, HealthCheck.TAGS + "=" + Checks.CORE })
public class StoreCheck implements HealthCheck {

    private final UnitOfWork work;

    @Activate
    public StoreCheck(@Reference UnitOfWork work) {
        this.work = work;
    }

    @Override
    public Result execute() {
        try {
            work.probe();
            return new Result(Result.Status.OK, "The store answers reads");
        } catch (RuntimeException e) {
            // the exception's type only: a driver's message may quote a path or a statement
            return new Result(Result.Status.CRITICAL, "The store does not answer: " + e.getClass().getSimpleName());
        }
    }
}
