package io.enigm.server.health.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.enigm.server.home.DataHome;

/** Whether the data home's file system has room for the database, its journal and content. */
@Component(service = HealthCheck.class, configurationPid = HealthConfiguration.PID, property = {
        HealthCheck.NAME + "=data home", HealthCheck.TAGS + "=" + Checks.INSTALLATION,
        HealthCheck.TAGS + "=" + Checks.CORE })
@Designate(ocd = HealthConfiguration.class)
public class DiskSpaceCheck implements HealthCheck {

    private static final long MIB = 1024 * 1024;
    private final Path directory;
    private final long warnBelow;
    private final long criticalBelow;

    @Activate
    public DiskSpaceCheck(@Reference DataHome home, HealthConfiguration configuration) {
        if (configuration.criticalFreeMegabytes() < 1
                || configuration.criticalFreeMegabytes() > configuration.warnFreeMegabytes()) {
            throw new IllegalArgumentException(HealthConfiguration.PID + ": criticalFreeMegabytes must be at least 1"
                    + " and at most warnFreeMegabytes");
        }
        this.directory = home.directory();
        this.warnBelow = configuration.warnFreeMegabytes() * MIB;
        this.criticalBelow = configuration.criticalFreeMegabytes() * MIB;
    }

    @Override
    public Result execute() {
        long free;
        try {
            free = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return new Result(Result.Status.CRITICAL, "The data home's file system cannot be read: "
                    + e.getClass().getSimpleName());
        }
        String said = (free / MIB) + " MiB free in the data home";
        if (free < criticalBelow) {
            return new Result(Result.Status.CRITICAL, said + ", under " + criticalBelow / MIB + " MiB: writes may fail");
        }
        if (free < warnBelow) {
            return new Result(Result.Status.WARN, said + ", under " + warnBelow / MIB + " MiB");
        }
        return new Result(Result.Status.OK, said);
    }
}
