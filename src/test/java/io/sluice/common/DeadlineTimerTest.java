package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadlineTimerTest {

    private final ManualClock clock = new ManualClock();
    private final DeadlineTimer timer = DeadlineTimer.manual(clock);

    @Test
    void aTaskRunsOnceItsDelayHasPassedAndNeverEarly() {
        List<String> ran = new ArrayList<>();
        timer.schedule(() -> ran.add("a"), 100);

        clock.advanceMillis(99);
        assertThat(timer.runDue(clock.nanoseconds())).isTrue();
        assertThat(ran).isEmpty();

        clock.advanceMillis(1);
        assertThat(timer.runDue(clock.nanoseconds())).isFalse();
        assertThat(ran).containsExactly("a");
        assertThat(timer.held()).isZero();
    }

    @Test
    void aCancelledTaskNeverRunsAndIsDroppedAtOnceIfItHadNotReachedTheHeap() {
        AtomicInteger ran = new AtomicInteger();
        DeadlineTimer.Timeout timeout = timer.schedule(ran::incrementAndGet, 10);

        assertThat(timeout.cancel()).isTrue();
        assertThat(timeout.cancel()).isFalse();
        timer.runDue(clock.nanoseconds());

        assertThat(timer.held()).isZero();
        clock.advanceMillis(1000);
        timer.runDue(clock.nanoseconds());
        assertThat(ran).hasValue(0);
    }

    @Test
    void aCancelledTaskIsLetGoAtOnceThoughItsEntryWaitsForItsDeadline() {
        byte[] finishedRead = new byte[1024];
        Runnable task = () -> finishedRead[0]++; // capturing: a lambda capturing nothing is a shared constant
        WeakReference<Runnable> released = new WeakReference<>(task);
        DeadlineTimer.Timeout timeout = timer.schedule(task, 300_000);
        timer.runDue(clock.nanoseconds()); // in the heaps now, where a few cancelled entries may wait

        timeout.cancel();
        task = null;

        assertThat(timer.held()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return released.get() == null;
        });
    }

    @Test
    void cancelledEntriesAreSweptOnceTheyAreMostOfTheHeaps() {
        int parked = 100;
        int ended = 5 * DeadlineTimer.SWEEP_MINIMUM;
        for (int i = 0; i < parked; i++) {
            timer.schedule(() -> {}, 300_000);
        }
        List<DeadlineTimer.Timeout> endedWithData = new ArrayList<>();
        for (int i = 0; i < ended; i++) {
            endedWithData.add(timer.schedule(() -> {}, 300_000));
        }
        timer.runDue(clock.nanoseconds());
        assertThat(timer.held()).isEqualTo(parked + ended);

        endedWithData.forEach(DeadlineTimer.Timeout::cancel);
        timer.runDue(clock.nanoseconds());

        assertThat(timer.held()).isEqualTo(parked);
    }

    @Test
    void aFewCancelledEntriesWaitForTheirDeadlinesInsteadOfASweep() {
        List<DeadlineTimer.Timeout> timeouts = new ArrayList<>();
        for (int i = 0; i < DeadlineTimer.SWEEP_MINIMUM; i++) {
            timeouts.add(timer.schedule(() -> {}, 1_000));
        }
        timer.runDue(clock.nanoseconds());
        timeouts.forEach(DeadlineTimer.Timeout::cancel);
        timer.runDue(clock.nanoseconds());
        assertThat(timer.held()).isEqualTo(DeadlineTimer.SWEEP_MINIMUM);

        clock.advanceMillis(1_000);
        timer.runDue(clock.nanoseconds());
        assertThat(timer.held()).isZero();
    }

    @Test
    void aTaskThatRanCannotBeCancelledAndAFailingTaskDoesNotStopTheOthers() {
        AtomicInteger ran = new AtomicInteger();
        timer.schedule(
                () -> {
                    throw new IllegalStateException("boom");
                },
                5);
        DeadlineTimer.Timeout second = timer.schedule(ran::incrementAndGet, 5);

        clock.advanceMillis(5);
        timer.runDue(clock.nanoseconds());

        assertThat(ran).hasValue(1);
        assertThat(second.cancel()).isFalse();
    }

    /** Random delays, some cancelled: what runs is exactly what was not cancelled, in deadline order. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void tasksRunInDeadlineOrderAndOnlyIfNotCancelled(long seed) {
        Random random = new Random(seed);
        List<Long> ran = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long delay = random.nextInt(1000);
            DeadlineTimer.Timeout timeout = timer.schedule(() -> ran.add(delay), delay);
            if (random.nextInt(3) == 0) {
                timeout.cancel();
            } else {
                expected.add(delay);
            }
            if (random.nextInt(10) == 0) {
                timer.runDue(clock.nanoseconds()); // some entries reach the heap early, others late
            }
        }
        for (int ms = 0; ms <= 1000; ms += 7) {
            timer.runDue(clock.nanoseconds());
            clock.advanceMillis(7);
        }
        timer.runDue(clock.nanoseconds());

        expected.sort(null);
        assertThat(ran).as("seed %d", seed).isEqualTo(expected);
        assertThat(timer.held()).isZero();
    }

    @Test
    void theThreadWakesForWorkScheduledWhileItSleeps() throws Exception {
        try (DeadlineTimer real = new DeadlineTimer("test-deadlines", Clock.system(), 5)) {
            for (int round = 0; round < 3; round++) {
                CountDownLatch ran = new CountDownLatch(1);
                real.schedule(ran::countDown, 20);
                assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void theThreadPlansToWakeAtTheEarliestLatestStartAndNothingHeldMeansNoWakeUp() {
        DeadlineTimer slack = DeadlineTimer.manual(clock, 20, 200);
        long start = clock.nanoseconds();
        assertThat(slack.nextWake(start)).as("nothing held").isEqualTo(Long.MAX_VALUE);

        slack.schedule(() -> {}, 600_000);
        slack.runDue(start);
        assertThat(slack.nextWake(start))
                .as("a far deadline: the maximum slack after it")
                .isEqualTo(start + millis(600_200));

        slack.schedule(() -> {}, 3);
        slack.runDue(start);
        assertThat(slack.nextWake(start))
                .as("a near one: at least a tick of slack")
                .isEqualTo(start + millis(23));

        DeadlineTimer.Timeout cancelled = slack.schedule(() -> {}, 1);
        slack.runDue(start);
        cancelled.cancel();
        assertThat(slack.nextWake(start))
                .as("a cancelled entry plans no wake-up")
                .isEqualTo(start + millis(23));
    }

    @Test
    void deadlinesWithinTheSlackOfTheFirstShareOnePassAndNoneRunsEarly() {
        DeadlineTimer slack = DeadlineTimer.manual(clock, 20, 200);
        long start = clock.nanoseconds();
        List<Long> ran = new ArrayList<>();
        for (long delay : new long[] {1000, 1010, 1030, 1040, 5000}) {
            slack.schedule(() -> ran.add(delay), delay);
        }
        slack.runDue(start);
        long wake = slack.nextWake(start);
        assertThat(wake).as("1000 ms + 1000/32 ms").isEqualTo(start + TimeUnit.MICROSECONDS.toNanos(1_031_250));

        clock.advance(wake - start, TimeUnit.NANOSECONDS);
        slack.runDue(wake);

        assertThat(ran).containsExactly(1000L, 1010L, 1030L);
        assertThat(slack.nextWake(wake)).isEqualTo(start + TimeUnit.MICROSECONDS.toNanos(1_072_500));
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aTaskDueSoonerThanThePlannedWakeUpWakesTheThreadAndFarDeadlinesCostNoWakeUps() throws Exception {
        try (DeadlineTimer real = new DeadlineTimer("test-deadlines", Clock.system(), 1, 200)) {
            real.schedule(() -> {}, TimeUnit.HOURS.toMillis(1));
            for (int round = 0; round < 5; round++) {
                CountDownLatch ran = new CountDownLatch(1);
                real.schedule(ran::countDown, 50);
                assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            }
            // 250+ ms with an entry always held: a timer ticking every 1 ms would have made hundreds of passes
            assertThat(real.passes()).isLessThan(40);
            assertThat(real.held()).isEqualTo(1);
        }
    }
}
