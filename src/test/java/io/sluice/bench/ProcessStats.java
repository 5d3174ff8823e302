package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Linux process's CPU time ({@code /proc/<pid>/stat}, user + system, in clock ticks of 1/100 s, the
 * fixed USER_HZ of the proc ABI), also per group of threads ({@code /proc/<pid>/task/<tid>/stat}), and resident set
 * size ({@code /proc/<pid>/status}, VmRSS).
 */
final class ProcessStats {

    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessStats() {}

    /** CPU seconds the process has used so far (user + system). */
    static double cpuSeconds(long pid) throws IOException {
        return cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /**
     * CPU seconds each group of the process's live threads has used so far. A group is the threads whose names differ
     * only in a trailing number ({@code sluice-http-1} and {@code -2}), named as the kernel keeps thread names:
     * cut to 15 characters.
     */
    static Map<String, Double> cpuSecondsByThreadGroup(long pid) throws IOException {
        Map<String, Double> groups = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException e) {
                    continue; // the thread ended since the listing
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                        .replaceFirst("[-#_ ]?\\d+$", "");
                groups.merge(name, cpuSeconds(stat), Double::sum);
            }
        }
        return groups;
    }

    /** User + system seconds of a {@code stat} line of a process or a thread. */
    private static double cpuSeconds(String stat) {
        // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long user = Long.parseLong(fields[11]);
        long system = Long.parseLong(fields[12]);
        return (user + system) / TICKS_PER_SECOND;
    }

    /** Open file descriptors (sockets included). */
    static long openFiles(long pid) throws IOException {
        try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return files.count();
        }
    }

    /** Resident set size in MiB. */
    static double rssMebibytes(long pid) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        for (String line : lines) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }
}
