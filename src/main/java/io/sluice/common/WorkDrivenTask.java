package io.sluice.common;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A periodic task that sleeps while it has nothing to do. Each run answers whether work is left; if so the next run is
 * one interval later, if not none is scheduled until {@link #workArrived()} says there is work again, which schedules
 * a run one interval ahead (unless one is already pending). A fixed-rate task in its place woke its thread every
 * interval on an idle server, for nothing.
 *
 * <p>At most one run is pending at a time. Work announced while a run is in progress gets a run of its own (the
 * pending flag is cleared before the task starts), so none is missed. A run that throws is treated as having work
 * left, so it is tried again an interval later; the task should log its own failures. Once the scheduler is shut down
 * nothing more is scheduled. Thread-safe; {@link #workArrived()} is one volatile read while a run is pending.
 */
public final class WorkDrivenTask {

    private final ScheduledExecutorService scheduler;
    private final long intervalMillis;
    private final BooleanSupplier runReportingWorkLeft;
    private final AtomicBoolean pending = new AtomicBoolean();

    public WorkDrivenTask(
            ScheduledExecutorService scheduler, long intervalMillis, BooleanSupplier runReportingWorkLeft) {
        this.scheduler = scheduler;
        this.intervalMillis = intervalMillis;
        this.runReportingWorkLeft = runReportingWorkLeft;
    }

    /** There is work for the task: it runs within an interval. */
    public void workArrived() {
        if (!pending.get() && pending.compareAndSet(false, true)) {
            try {
                scheduler.schedule(this::run, intervalMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: nothing runs any more
            }
        }
    }

    private void run() {
        pending.set(false);
        boolean workLeft = true;
        try {
            workLeft = runReportingWorkLeft.getAsBoolean();
        } finally {
            if (workLeft) {
                workArrived();
            }
        }
    }
}
