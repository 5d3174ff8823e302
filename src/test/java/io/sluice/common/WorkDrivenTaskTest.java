package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkDrivenTaskTest {

    private static final long INTERVAL_MS = 20;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void nothingIsScheduledUntilWorkArrivesAndOneRunWithoutWorkLeftEndsIt() {
        WorkDrivenTask task = new WorkDrivenTask(scheduler, INTERVAL_MS, () -> {
            runs.incrementAndGet();
            return false;
        });
        assertThat(scheduler.getQueue()).isEmpty();

        task.workArrived();

        await().until(() -> runs.get() == 1 && scheduler.getQueue().isEmpty());
        assertThat(scheduler.getCompletedTaskCount()).isEqualTo(1);
    }

    @Test
    void runsEveryIntervalWhileWorkIsLeftThenStops() {
        AtomicBoolean workLeft = new AtomicBoolean(true);
        WorkDrivenTask task = new WorkDrivenTask(scheduler, INTERVAL_MS, () -> {
            runs.incrementAndGet();
            return workLeft.get();
        });

        task.workArrived();
        await().until(() -> runs.get() >= 3);
        assertThat(scheduler.getQueue()).hasSizeLessThanOrEqualTo(1);
        workLeft.set(false);

        await().until(() -> scheduler.getQueue().isEmpty());
        int stoppedAt = runs.get();
        assertThat(scheduler.getCompletedTaskCount()).isEqualTo(stoppedAt);
    }

    @Test
    void workArrivingWhileARunIsPendingAddsNoOtherRun() {
        WorkDrivenTask task = new WorkDrivenTask(scheduler, 3_600_000, () -> true);

        for (int i = 0; i < 10; i++) {
            task.workArrived();
        }

        assertThat(scheduler.getQueue()).hasSize(1);
        assertThat(((Delayed) scheduler.getQueue().peek()).getDelay(TimeUnit.MILLISECONDS))
                .isGreaterThan(3_000_000);
    }

    @Test
    void workArrivingDuringARunGetsARunOfItsOwn() throws Exception {
        CountDownLatch inFirstRun = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkDrivenTask task = new WorkDrivenTask(scheduler, INTERVAL_MS, () -> {
            if (runs.incrementAndGet() == 1) {
                inFirstRun.countDown();
                await().until(() -> release.getCount() == 0);
            }
            return false;
        });
        task.workArrived();
        assertThat(inFirstRun.await(5, TimeUnit.SECONDS)).isTrue();

        task.workArrived(); // the first run has begun and will report no work left
        release.countDown();

        await().until(() -> runs.get() == 2 && scheduler.getQueue().isEmpty());
    }

    @Test
    void aFailedRunIsTriedAgain() {
        WorkDrivenTask task = new WorkDrivenTask(scheduler, INTERVAL_MS, () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("disk trouble");
            }
            return false;
        });

        task.workArrived();

        await().until(() -> runs.get() == 2 && scheduler.getQueue().isEmpty());
    }

    @Test
    void workArrivingAfterTheSchedulerStoppedIsIgnored() {
        WorkDrivenTask task = new WorkDrivenTask(scheduler, INTERVAL_MS, () -> true);
        scheduler.shutdownNow();

        assertThatCode(task::workArrived).doesNotThrowAnyException();
    }
}
