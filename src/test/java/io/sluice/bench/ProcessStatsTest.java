package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-thread CPU reading, on this JVM's own threads. */
class ProcessStatsTest {

    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @Test
    void countsAThreadsCpuUnderItsNameWithoutTheTrailingNumber() throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CountDownLatch busyDone = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread probe = new Thread(
                () -> {
                    while (threads.getCurrentThreadCpuTime() < BUSY_NANOS) {
                        Thread.onSpinWait();
                    }
                    busyDone.countDown();
                    try {
                        release.await(); // alive while its /proc entry is read
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "stats-probe-7");
        long pid = ProcessHandle.current().pid();
        double processBefore = ProcessStats.cpuSeconds(pid);
        probe.start();
        try {
            assertThat(busyDone.await(30, TimeUnit.SECONDS)).isTrue();

            Map<String, Double> groups = ProcessStats.cpuSecondsByThreadGroup(pid);

            assertThat(groups).containsKey("stats-probe").doesNotContainKey("stats-probe-7");
            assertThat(groups.get("stats-probe")).isBetween(0.05, 30.0);
            assertThat(ProcessStats.cpuSeconds(pid) - processBefore).isGreaterThanOrEqualTo(0.05);
        } finally {
            release.countDown();
            probe.join();
        }
    }
}
