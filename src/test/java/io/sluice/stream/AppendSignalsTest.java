package io.sluice.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.TopicPartition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AppendSignalsTest {

    private final TopicPartition tp = new TopicPartition("t", 0);
    private final AtomicLong highWatermark = new AtomicLong(5);
    private final AppendSignals signals = new AppendSignals(partition -> highWatermark.get());

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

        assertThat(wait).isDone();
        assertThat(signals.parked()).isZero();
    }

    @Test
    void cancellingAWaitRemovesIt() {
        CompletableFuture<Void> wait = signals.await(tp, 10);
        assertThat(signals.parked()).isEqualTo(1);
        wait.cancel(false);
        assertThat(signals.parked()).isZero();
    }
}
