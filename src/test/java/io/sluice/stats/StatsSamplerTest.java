package io.sluice.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LONG;
import static org.awaitility.Awaitility.await;

import io.sluice.common.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatsSamplerTest {

    private static final long INTERVAL_MS = 20;
    private static final long UNWATCHED_MS = 3_600_000;

    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private final AtomicInteger samples = new AtomicInteger();
    private final ThroughputStats stats = new ThroughputStats(
            () -> {
                samples.incrementAndGet();
                return List.of();
            },
            new ManualClock());
    private final StatsSampler sampler = new StatsSampler(stats, scheduler, INTERVAL_MS, UNWATCHED_MS);

    StatsSamplerTest() {
        scheduler.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void samplesAtOnceThenSleepsTheUnwatchedIntervalWhileNobodyListens() {
        sampler.start();

        await().untilAsserted(
                        () -> assertThat(nextDelaysMs()).singleElement(LONG).isGreaterThan(INTERVAL_MS * 10));
        assertThat(samples).hasValue(1);
    }

    @Test
    void aFirstListenerBringsTheNextSampleForwardAndIsSampledEveryInterval() {
        sampler.start();
        await().until(() -> samples.get() == 1 && !nextDelaysMs().isEmpty());
        AtomicInteger pushed = new AtomicInteger();

        stats.addListener(snapshot -> pushed.incrementAndGet());

        await().atMost(Duration.ofSeconds(5)).until(() -> pushed.get() >= 3);
        assertThat(nextDelaysMs())
                .singleElement()
                .satisfies(delay -> assertThat(delay).isLessThanOrEqualTo(INTERVAL_MS));
    }

    @Test
    void theLastListenerGoneTheSamplerSleepsAgainAfterItsNextSample() {
        AtomicInteger pushed = new AtomicInteger();
        Consumer<StatsSnapshot> listener = snapshot -> pushed.incrementAndGet();
        stats.addListener(listener);
        sampler.start();
        await().until(() -> pushed.get() >= 2);

        stats.removeListener(listener);

        await().untilAsserted(
                        () -> assertThat(nextDelaysMs()).singleElement(LONG).isGreaterThan(INTERVAL_MS * 10));
    }

    @Test
    void aFailedSampleIsLoggedAndSamplingGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        ThroughputStats failingOnce = new ThroughputStats(
                () -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("boom");
                    }
                    return List.of();
                },
                new ManualClock());
        failingOnce.addListener(snapshot -> {});

        new StatsSampler(failingOnce, scheduler, INTERVAL_MS, UNWATCHED_MS).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 3);
    }

    @Test
    void aListenerArrivingAfterShutdownIsStillRegistered() {
        sampler.start();
        scheduler.shutdownNow();
        AtomicInteger pushed = new AtomicInteger();

        stats.addListener(snapshot -> pushed.incrementAndGet());

        assertThat(stats.watched()).isTrue();
        assertThat(scheduler.getQueue()).isEmpty();
    }

    /** The delays of the tasks waiting in the scheduler, in milliseconds (cancelled ones are removed at once). */
    private List<Long> nextDelaysMs() {
        return scheduler.getQueue().stream()
                .map(task -> ((Delayed) task).getDelay(TimeUnit.MILLISECONDS))
                .toList();
    }
}
