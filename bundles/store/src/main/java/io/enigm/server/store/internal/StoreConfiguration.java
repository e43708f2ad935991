package io.enigm.server.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Enigm Server store",
        description = "The installation's database: the embedded SQLite file under the data home (the default),"
                + " or a PostgreSQL database shared by several nodes.")
public @interface StoreConfiguration {

    String PID = "io.enigm.server.store";

    @AttributeDefinition(name = "Database URL",
            description = "JDBC URL of a PostgreSQL database (jdbc:postgresql://host:5432/enigm), shared by every"
                    + " node of the installation; empty for the embedded SQLite file. The launcher's --database-url"
                    + " (framework property enigm.database.url) applies when this is empty.")
    String url() default "";

    @AttributeDefinition(name = "Database user", description = "PostgreSQL only: the role the nodes log in as.")
    String user() default "enigm";

    @AttributeDefinition(name = "Database password file",
            description = "PostgreSQL only: file, relative to the data home, whose content is the role's password.")
    String passwordFile() default "secrets/database-password";

    @AttributeDefinition(name = "Database file",
            description = "SQLite only: file name of the database, relative to the data home.")
    String databaseFile() default "enigm.db";

    @AttributeDefinition(name = "Busy timeout (ms)",
            description = "How long a connection waits for a lock held by another before failing.", min = "0")
    int busyTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Durable commits",
            description = "Sync the write-ahead log on every commit (synchronous=FULL), so that an"
                    + " acknowledged write survives power loss. Off (NORMAL) survives a killed process only.")
    boolean durableCommits() default true;

    @AttributeDefinition(name = "Pooled read connections",
            description = "Idle connections kept open for reads; more concurrent readers open and close their own.",
            min = "1")
    int readConnections() default 16;

    @AttributeDefinition(name = "Largest commit batch",
            description = "Most write requests committed together in one durable transaction.", min = "1")
    int maxBatch() default 256;
}
