package io.enigm.server.membership.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What an operator tunes about devices' sessions. */
@ObjectClassDefinition(name = "Enigm Server sessions",
        description = "Sessions that member devices open by signing a server nonce: how long a session token"
                + " works before the device must renew it under the policy in force.")
public @interface SessionConfiguration {

    String PID = "io.enigm.server.membership.sessions";

    @AttributeDefinition(name = "Session lifetime (minutes)",
            description = "A session token stops working this long after it was issued or renewed; each renewal"
                    + " is a new access decision, so a policy change reaches every device within this time."
                    + " 1 to 1440.")
    int sessionLifetimeMinutes() default 15;

    @AttributeDefinition(name = "Refusal events per second",
            description = "Refused session requests (unknown or replayed nonces, forged signatures…) are security"
                    + " events. Per environment and kind of refusal, up to this many a second are recorded one"
                    + " by one; beyond it they are counted and recorded as one event with their number every"
                    + " ten seconds, so a flood of refusals does not become a flood of writes. 1 to 1000.",
            min = "1", max = "1000")
    int refusalEventsPerSecond() default 20;

    @AttributeDefinition(name = "Repeated failures: threshold",
            description = "When a device or a member is refused this many times (forged signatures, replayed"
                    + " nonces, refused sessions…) within the window below, one REPEATED_FAILURES security event"
                    + " is recorded. 2 to 1000.", min = "2", max = "1000")
    int repeatedFailuresThreshold() default 5;

    @AttributeDefinition(name = "Repeated failures: window (seconds)",
            description = "The window of the threshold above. 10 to 86400.", min = "10", max = "86400")
    int repeatedFailuresWindowSeconds() default 600;

    @AttributeDefinition(name = "Used nonces remembered at most",
            description = "Nonces a device signs to open a session or add a device live 60 seconds. Issuing one"
                    + " keeps nothing; a used one is remembered in memory until it expires, so that it cannot be"
                    + " used again. The installation remembers at most this many (about 150 bytes each); beyond"
                    + " it, signed uses are refused until some expire.",
            min = "10")
    int maxLiveNonces() default 200_000;
}
