package io.enigm.server.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident memory of a Linux process, {@code VmRSS} of {@code /proc/<pid>/status}. */
final class ProcessMemory {

    private final Path status;

    private ProcessMemory(Path status) {
        this.status = status;
    }

    static ProcessMemory of(long pid) {
        return new ProcessMemory(Path.of("/proc", Long.toString(pid), "status"));
    }

    static ProcessMemory self() {
        return of(ProcessHandle.current().pid());
    }

    long residentBytes() {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:    123456 kB"
                    return Long.parseLong(line.substring(6).strip().split("\\s+")[0]) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in " + status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
