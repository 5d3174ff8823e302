package io.sluice.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.common.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ThroughputStatsTest {

    @Test
    void ratesAreGrowthPerSecondSinceThePreviousSample() {
        AtomicReference<List<TopicSnapshot>> state = new AtomicReference<>(topic(0, 0, 0));
        ManualClock clock = new ManualClock();
        ThroughputStats stats = new ThroughputStats(state::get, clock);
        List<StatsSnapshot> pushed = new ArrayList<>();
        stats.addListener(pushed::add);

        assertThat(stats.sample().topics().get(0).recordsPerSec()).isZero();
        state.set(topic(100, 50, 10_000));
        clock.advanceMillis(2000);
        TopicStats orders = stats.sample().topics().get(0);

        assertThat(orders.recordsPerSec()).isEqualTo(75.0);
        assertThat(orders.bytesPerSec()).isEqualTo(5000.0);
        assertThat(pushed).hasSize(2);
        assertThat(stats.latest()).isSameAs(pushed.get(1));
    }

    @Test
    void shrinkingSizeAfterRetentionNeverReportsNegativeRates() {
        AtomicReference<List<TopicSnapshot>> state = new AtomicReference<>(topic(10, 10, 5000));
        ManualClock clock = new ManualClock();
        ThroughputStats stats = new ThroughputStats(state::get, clock);
        stats.sample();
        state.set(topic(10, 10, 100));
        clock.advanceMillis(1000);
        assertThat(stats.sample().topics().get(0).bytesPerSec()).isZero();
    }

    @Test
    void theFirstListenerAfterNoneRunsTheWatchedAction() {
        ThroughputStats stats = new ThroughputStats(() -> topic(0, 0, 0), new ManualClock());
        AtomicInteger watched = new AtomicInteger();
        stats.whenWatched(watched::incrementAndGet);
        Consumer<StatsSnapshot> first = snapshot -> {};
        Consumer<StatsSnapshot> second = snapshot -> {};

        assertThat(stats.watched()).isFalse();
        stats.addListener(first);
        stats.addListener(second);
        assertThat(watched).hasValue(1);
        assertThat(stats.watched()).isTrue();

        stats.removeListener(first);
        stats.removeListener(second);
        assertThat(stats.watched()).isFalse();
        stats.addListener(first);
        assertThat(watched).hasValue(2);
    }

    private static List<TopicSnapshot> topic(long end0, long end1, long size) {
        return List.of(new TopicSnapshot(
                "orders",
                List.of(new PartitionSnapshot(0, 0, end0, size / 2), new PartitionSnapshot(1, 0, end1, size / 2))));
    }
}
