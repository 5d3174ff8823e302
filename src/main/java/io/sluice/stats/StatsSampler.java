package io.sluice.stats;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the {@link ThroughputStats} samples on a scheduler, waking only when one is due: every {@code intervalMillis}
 * while a listener is registered, every {@link #UNWATCHED_INTERVAL_MILLIS} while none is (a sample describes every
 * partition, and on an idle server a timer that wakes every second for nobody costs more than its work). The first
 * listener registered brings the next sample forward to one interval away, so a dashboard that opens sees rates
 * within an interval; its first rates span the longer gap since the sample before.
 *
 * <p>One chain of one-shot tasks; rescheduling starts a new chain and the old one ends at its next run (each task
 * carries the generation it belongs to). A failed sample is logged and the chain goes on. Once the scheduler is shut
 * down nothing more is scheduled. Thread-safe.
 */
public final class StatsSampler {

    /** How often a sample is taken while no listener is registered. */
    static final long UNWATCHED_INTERVAL_MILLIS = 30_000;

    private static final Logger log = LoggerFactory.getLogger(StatsSampler.class);

    private final ThroughputStats stats;
    private final ScheduledExecutorService scheduler;
    private final long intervalMillis;
    private final long unwatchedMillis;
    private long generation; // guarded by this
    private ScheduledFuture<?> pending; // guarded by this

    public StatsSampler(ThroughputStats stats, ScheduledExecutorService scheduler, long intervalMillis) {
        this(stats, scheduler, intervalMillis, UNWATCHED_INTERVAL_MILLIS);
    }

    StatsSampler(ThroughputStats stats, ScheduledExecutorService scheduler, long intervalMillis, long unwatchedMillis) {
        this.stats = stats;
        this.scheduler = scheduler;
        this.intervalMillis = intervalMillis;
        this.unwatchedMillis = unwatchedMillis;
    }

    /** Takes the first sample at once and keeps sampling from then on. */
    public void start() {
        stats.whenWatched(() -> schedule(intervalMillis));
        schedule(0);
    }

    private synchronized void schedule(long delayMillis) {
        long current = ++generation;
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            pending = scheduler.schedule(() -> run(current), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending = null; // shutting down: no more samples
        }
    }

    private void run(long chain) {
        synchronized (this) {
            if (chain != generation) {
                return;
            }
        }
        try {
            stats.sample();
        } catch (RuntimeException e) {
            log.warn("stats sample failed", e);
        }
        synchronized (this) {
            if (chain == generation) {
                schedule(stats.watched() ? intervalMillis : unwatchedMillis);
            }
        }
    }
}
