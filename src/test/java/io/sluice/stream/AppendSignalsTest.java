package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AppendSignalsTest {

    private final TopicPartition tp = new TopicPartition("t", 0);
    private final AtomicLong highWatermark = new AtomicLong(5);
    private final List<Runnable> wakeUps = new ArrayList<>();
    private final AppendSignals signals = new AppendSignals(partition -> highWatermark.get(), wakeUps::add);

    @Test
    void completesAtOnceWhenDataIsAlreadyThere() {
        assertThat(signals.await(tp, 4)).isDone();
        assertThat(signals.parked()).isZero();
    }

    @Test
    void parksUntilTheHighWatermarkPassesTheOffset() {
        CompletableFuture<Void> wait = signals.await(tp, 5);
        assertThat(wait).isNotDone();
        signals.onHighWatermarkAdvanced(new TopicPartition("other", 0), 100);
        assertThat(wait).isNotDone();

        highWatermark.set(6);
        signals.onHighWatermarkAdvanced(tp, 6);
        assertThat(wait).as("not on the appender's thread").isNotDone();
        wakeUps.forEach(Runnable::run);

        assertThat(wait).isDone();
        assertThat(signals.parked()).isZero();
    }

    @Test
    void theWaitsOneAppendWakesAreCompletedInOneTask() {
        CompletableFuture<Void> first = signals.await(tp, 5);
        CompletableFuture<Void> second = signals.await(tp, 5);
        CompletableFuture<Void> later = signals.await(tp, 9);

        signals.onHighWatermarkAdvanced(tp, 7);

        assertThat(wakeUps).hasSize(1);
        wakeUps.get(0).run();
        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(later).isNotDone();
    }

    @Test
    void aRefusedWakeUpCompletesOnTheAppendersThread() {
        AppendSignals refusing = new AppendSignals(partition -> highWatermark.get(), task -> {
            throw new RejectedExecutionException("full");
        });
        CompletableFuture<Void> wait = refusing.await(tp, 5);

        refusing.onHighWatermarkAdvanced(tp, 6);

        assertThat(wait).isDone();
    }

    @Test
    void cancellingAWaitRemovesIt() {
        CompletableFuture<Void> wait = signals.await(tp, 10);
        assertThat(signals.parked()).isEqualTo(1);
        wait.cancel(false);
        assertThat(signals.parked()).isZero();
    }
}
