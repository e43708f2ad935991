package io.enigm.server.http.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.Preprocessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Limits the requests of each client address, with a {@link TokenBuckets token bucket} per address,
 * before anything else sees them: as a whiteboard preprocessor it runs for every request of the
 * HTTP server (the API, the Web Console before its login check, paths nothing serves). A request
 * beyond the rate is answered 429 {@code application/problem+json} with {@code Retry-After} and
 * goes no further, so it changes nothing and is not audited.
 *
 * <p>The address is the connection's peer. Forwarding headers ({@code X-Forwarded-For},
 * {@code Forwarded}) are claims of the client and are not read: behind a reverse proxy the limit
 * applies to the proxy. Addresses are never logged.
 */
@Component(service = Preprocessor.class, configurationPid = RequestRateLimit.PID)
@Designate(ocd = RequestRateLimit.Configuration.class)
public class RequestRateLimit implements Preprocessor {

    static final String PID = "io.enigm.server.http.rate";
    static final int DEFAULT_RATE = 2000;
    static final int DEFAULT_BURST = 4000;
    static final int DEFAULT_ADDRESSES = 65536;
    private static final Logger LOG = LoggerFactory.getLogger(RequestRateLimit.class);

    @ObjectClassDefinition(name = "Enigm Server request rate per client",
            description = "A token bucket per client address, in front of the API and the Web Console. The address is"
                    + " the connection's peer: behind a reverse proxy, every client shares the proxy's bucket.")
    @interface Configuration {

        @AttributeDefinition(name = "Enabled", description = "Whether requests are limited per client address.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Requests per second",
                description = "The rate one address is served at when it keeps sending; 1 to 1000000.",
                min = "1", max = "1000000")
        int requestsPerSecond() default DEFAULT_RATE;

        @AttributeDefinition(name = "Burst",
                description = "Requests one address may send at once after a quiet time; 1 to 1000000.",
                min = "1", max = "1000000")
        int burst() default DEFAULT_BURST;

        @AttributeDefinition(name = "Addresses tracked at most",
                description = "Beyond this many addresses seen within a refill time, new addresses share one bucket;"
                        + " each tracked address costs about 200 bytes. 16 to 10000000.",
                min = "16", max = "10000000")
        int maxAddresses() default DEFAULT_ADDRESSES;
    }

    private volatile TokenBuckets buckets;

    /**
     * An invalid configuration at start (a hand-written file) must not leave the server without a
     * limit: it is refused with a message, and the defaults apply until a valid one arrives.
     */
    @Activate
    public RequestRateLimit(Configuration configuration) {
        try {
            modified(configuration);
        } catch (IllegalArgumentException e) {
            LOG.error("Refused the request rate configuration ({}); limiting at the defaults, {} per second, burst {}",
                    e.getMessage(), DEFAULT_RATE, DEFAULT_BURST);
            buckets = new TokenBuckets(DEFAULT_RATE, DEFAULT_BURST, DEFAULT_ADDRESSES, System::nanoTime);
        }
    }

    /**
     * A new configuration starts every address with a full bucket; an invalid one is refused (SCR
     * logs it) and the running one stays in force.
     */
    @Modified
    void modified(Configuration configuration) {
        if (outside(configuration.requestsPerSecond(), 1, 1_000_000) || outside(configuration.burst(), 1, 1_000_000)
                || outside(configuration.maxAddresses(), 16, 10_000_000)) {
            throw new IllegalArgumentException(
                    "requestsPerSecond and burst must be 1 to 1000000, maxAddresses 16 to 10000000");
        }
        buckets = configuration.enabled() ? new TokenBuckets(configuration.requestsPerSecond(), configuration.burst(),
                configuration.maxAddresses(), System::nanoTime) : null;
    }

    /** The buckets in force, or {@code null} when limiting is disabled. */
    TokenBuckets buckets() {
        return buckets;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        TokenBuckets current = buckets;
        String address = request.getRemoteAddr();
        long waitNanos = current == null ? 0 : current.take(address == null ? "" : address);
        if (waitNanos == 0) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse refusal = (HttpServletResponse) response;
        refusal.setHeader("Retry-After", Long.toString(ceilSeconds(waitNanos)));
        // the server's one error handler writes the problem document, as for every other error
        refusal.sendError(429);
    }

    private static boolean outside(int value, int min, int max) {
        return value < min || value > max;
    }

    /** Whole seconds, rounded up: at least 1 for any wait. */
    private static long ceilSeconds(long nanos) {
        long perSecond = TimeUnit.SECONDS.toNanos(1);
        return (nanos + perSecond - 1) / perSecond;
    }
}
