package io.enigm.server.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU time a Linux process has used, user and system, from {@code /proc/<pid>/stat}. */
final class ProcessCpu {

    /** Clock ticks per second of {@code /proc}: 100 on Linux for x86 and ARM. */
    private static final long TICKS_PER_SECOND = 100;

    private final Path stat;

    private ProcessCpu(Path stat) {
        this.stat = stat;
    }

    static ProcessCpu of(long pid) {
        return new ProcessCpu(Path.of("/proc", Long.toString(pid), "stat"));
    }

    static ProcessCpu self() {
        return of(ProcessHandle.current().pid());
    }

    long nanos() {
        try {
            String line = Files.readString(stat);
            // fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
