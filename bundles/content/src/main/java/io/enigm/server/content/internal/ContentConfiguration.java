package io.enigm.server.content.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Sizes, lifetimes and the expiry sweep of encrypted content. */
@ObjectClassDefinition(name = "Enigm Server content",
        description = "How large encrypted objects may be, where they are kept, how long call set-up messages live"
                + " how often expired objects are erased and how deletion jobs erase.")
public @interface ContentConfiguration {

    String PID = "io.enigm.server.content";

    @AttributeDefinition(name = "Largest object (bytes)",
            description = "Uploads larger than this are refused with 413 and nothing is stored; 1 to 2^40.",
            min = "1")
    long maxObjectBytes() default 512L * 1024 * 1024;

    @AttributeDefinition(name = "Largest object kept in the database (bytes)",
            description = "Objects up to this size are stored in their row, so that many small messages share one"
                    + " commit; larger ones go to the blob store under the data home. 0 to 1048576.",
            min = "0", max = "1048576")
    int inlineLimitBytes() default 64 * 1024;

    @AttributeDefinition(name = "Longest call set-up lifetime (seconds)",
            description = "Call set-up messages (surface CALLS) live at most this long, 1 to 3600.",
            min = "1", max = "3600")
    int callsMaxLifetimeSeconds() default 300;

    @AttributeDefinition(name = "Expiry sweep interval (seconds)",
            description = "Seconds between sweeps that erase expired objects' rows and bytes, 1 to 86400.",
            min = "1", max = "86400")
    int sweepIntervalSeconds() default 60;

    @AttributeDefinition(name = "Objects erased per transaction",
            description = "How many expired objects one sweep transaction erases, 1 to 10000: short transactions"
                    + " keep the database's one writer free for requests.", min = "1", max = "10000")
    int sweepChunk() default 500;

    @AttributeDefinition(name = "Objects a deletion job erases per transaction",
            description = "How many objects one transaction of a deletion job erases, 1 to 10000; the job's"
                    + " progress is committed with each. Covered objects vanish from every answer when the job"
                    + " starts, whatever this is.", min = "1", max = "10000")
    int deletionChunk() default 500;

    @AttributeDefinition(name = "Event stream heartbeat (seconds)",
            description = "How often each device following new content is sent a sign of life and has its session"
                    + " checked again (a revoked one is ended), 1 to 300.", min = "1", max = "300")
    int followerHeartbeatSeconds() default 20;
}
