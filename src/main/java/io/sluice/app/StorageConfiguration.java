package io.sluice.app;

import io.sluice.common.Clock;
import io.sluice.common.DeadlineTimer;
import io.sluice.common.WorkDrivenTask;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogManager;
import io.sluice.storage.StorageFiles;
import io.sluice.topic.TopicConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The storage engine and the threads around it: a bounded pool for blocking storage calls (network event loops never
 * block, not even to hand work over: see {@link HandOffQueue}), a timer for long-poll timeouts, and a housekeeping
 * thread for retention, time-based flushes and checks that no segment file was removed under the running server. Segment
 * files live in {@code <data-dir>/logs}.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.system();
    }

    @Bean
    LogConfig brokerLogDefaults(SluiceProperties properties) {
        return TopicConfigs.toLogConfig(
                LogConfig.defaults(), TopicConfigs.validate(properties.getLog().asTopicConfigs()));
    }

    /**
     * Segment files change through {@link StorageFiles#real()} unless the context holds another {@link StorageFiles}
     * bean: the seam through which tests inject disk faults into a running server. The app itself declares none.
     */
    @Bean(destroyMethod = "close")
    LogManager logManager(
            SluiceProperties properties,
            LogConfig brokerLogDefaults,
            Clock clock,
            ObjectProvider<StorageFiles> storageFiles)
            throws IOException {
        Path logDir = properties.getDataDir().toAbsolutePath().normalize().resolve("logs");
        Files.createDirectories(logDir);
        log.info("segment files in {}", logDir);
        return LogManager.open(
                storageFiles.getIfAvailable(StorageFiles::real),
                logDir,
                brokerLogDefaults,
                clock,
                properties.getStorage().getRecoveryThreads());
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService storageExecutor(SluiceProperties properties) {
        int threads = properties.getStorage().getThreads();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new HandOffQueue(properties.getStorage().getQueueSize()),
                named("sluice-storage-"));
        // started now, so that handing work over never takes the pool's lock to start a worker
        pool.prestartAllCoreThreads();
        return pool;
    }

    @Bean
    Scheduler storageScheduler(ExecutorService storageExecutor) {
        return Schedulers.fromExecutorService(storageExecutor, "sluice-storage");
    }

    /**
     * One timer thread for every wait (long-poll timeouts, group reads). A long-poll answered by data cancels its
     * timeout; removing cancelled timeouts at once keeps the queue at the number of reads actually parked instead of
     * every read of the last {@code max-wait}.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService sluiceTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named("sluice-timer-"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * The timeouts of parked partition reads: scheduling one takes no lock, so a read at the end of the log parks right
     * on the event loop. A timeout answers up to 1/32 of its wait late, at least 20 ms and at most 200 ms (a 120 s
     * long-poll up to 200 ms late): timeouts falling due within that slack share one wake-up and go out together, which
     * made idle long-polls several times cheaper than answering each on its own (BENCHMARKS.md, session 3).
     */
    @Bean(destroyMethod = "close")
    DeadlineTimer readDeadlines(Clock clock) {
        return new DeadlineTimer("sluice-read-deadlines", clock, 20, 200);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService sluiceHousekeeping(SluiceProperties properties, LogManager logManager) {
        ScheduledExecutorService housekeeping =
                Executors.newSingleThreadScheduledExecutor(named("sluice-housekeeping-"));
        long retention = properties.getStorage().getRetentionCheckInterval().toMillis();
        long flush = properties.getStorage().getFlushCheckInterval().toMillis();
        long files = properties.getStorage().getFileCheckInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(
                guarded(logManager::enforceRetention), retention, retention, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(guarded(logManager::checkFiles), files, files, TimeUnit.MILLISECONDS);
        // only while some log has flush work: an idle broker's thread no longer wakes every second for nothing
        WorkDrivenTask flushChecks = new WorkDrivenTask(housekeeping, flush, guarded(logManager::flushDue));
        logManager.whenFlushCheckWanted(flushChecks::workArrived);
        return housekeeping;
    }

    /** A periodic task that logs its failure instead of silently cancelling its schedule. */
    private static Runnable guarded(Runnable task) {
        BooleanSupplier guarded = guarded(() -> {
            task.run();
            return true;
        });
        return guarded::getAsBoolean;
    }

    /** A task that reports whether work is left, logging a failure and counting it as work left (so it runs again). */
    private static BooleanSupplier guarded(BooleanSupplier task) {
        return () -> {
            try {
                return task.getAsBoolean();
            } catch (RuntimeException e) {
                log.warn("housekeeping task failed; it runs again at its next interval", e);
                return true;
            }
        };
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
