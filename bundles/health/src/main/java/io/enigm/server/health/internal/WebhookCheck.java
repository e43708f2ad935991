package io.enigm.server.health.internal;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.webhook.WebhookBatchState;
import io.enigm.server.webhook.WebhookOutbox;

/** Whether every webhook batch gets delivered: a parked one waits for an operator. */
@Component(service = HealthCheck.class, property = { HealthCheck.NAME + "=webhook outbox",
        HealthCheck.TAGS + "=" + Checks.INSTALLATION, HealthCheck.TAGS + "=" + Checks.CORE })
public class WebhookCheck implements HealthCheck {

    private static final int COUNTED = Page.MAX_LIMIT;
    private final WebhookOutbox outbox;

    @Activate
    public WebhookCheck(@Reference WebhookOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public Result execute() {
        int parked = outbox.list(WebhookBatchState.PARKED, new PageRequest(null, COUNTED)).items().size();
        if (parked == 0) {
            return new Result(Result.Status.OK, "No parked webhook batch");
        }
        return new Result(Result.Status.WARN, (parked == COUNTED ? "At least " : "") + parked
                + " webhook batch(es) parked after their last attempt: re-drive them once the receiver answers");
    }
}
