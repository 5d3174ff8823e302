package io.sluice.stats;

import io.sluice.common.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live per-topic append rates (records/s and bytes/s) from periodic samples of every partition's end offset and
 * size: rate = growth since the previous sample / time since it. Records/s is exact (offsets are dense); bytes/s
 * counts growth of the on-disk size, so an interval in which retention deleted a segment reports less (never below
 * zero). A topic seen for the first time reports 0.
 *
 * <p>{@link #sampleIfDue()} is called by a timer (the wiring decides how often): it samples at every call while a
 * listener is registered, and only every 30 s while none is (a sample describes every
 * partition: with a thousand of them, sampling every second for nobody was a good part of an idle server's CPU), so
 * {@link #latest()} is then at most that old and a listener's first sample reports rates over that longer interval.
 * Samples are pushed to listeners on the sampling thread; listeners must not block. Thread-safe.
 */
public final class ThroughputStats {

    private static final Logger log = LoggerFactory.getLogger(ThroughputStats.class);

    private final Supplier<List<TopicSnapshot>> source;
    private final Clock clock;
    private final List<Consumer<StatsSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private Map<String, TopicSnapshot> previous = Map.of();
    private long previousNanos;
    private volatile StatsSnapshot latest = new StatsSnapshot(0, List.of());

    public ThroughputStats(Supplier<List<TopicSnapshot>> source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /** How often a sample is taken while no listener is registered. */
    static final long UNWATCHED_INTERVAL_NANOS = 30_000_000_000L;

    /** Samples ({@link #sample()}) if a listener is registered or the last sample is 30 s old (or there is none). */
    public void sampleIfDue() {
        boolean due;
        synchronized (this) {
            due = previous.isEmpty() || clock.nanoseconds() - previousNanos >= UNWATCHED_INTERVAL_NANOS;
        }
        if (!listeners.isEmpty() || due) {
            sample();
        }
    }

    /** Takes a sample, computes rates against the previous one, stores it as {@link #latest()} and notifies. */
    public StatsSnapshot sample() {
        StatsSnapshot snapshot = computeSample();
        for (Consumer<StatsSnapshot> listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (RuntimeException e) {
                log.warn("stats listener failed", e);
            }
        }
        return snapshot;
    }

    private synchronized StatsSnapshot computeSample() {
        long now = clock.nanoseconds();
        double seconds = previous.isEmpty() ? 0 : (now - previousNanos) / 1e9;
        Map<String, TopicSnapshot> current = new HashMap<>();
        List<TopicStats> topics = new ArrayList<>();
        for (TopicSnapshot topic : source.get()) {
            current.put(topic.topic(), topic);
            TopicSnapshot before = previous.get(topic.topic());
            double records = 0;
            double bytes = 0;
            if (before != null && seconds > 0) {
                records = Math.max(0, topic.endOffsetSum() - before.endOffsetSum()) / seconds;
                bytes = Math.max(0, topic.sizeSum() - before.sizeSum()) / seconds;
            }
            topics.add(new TopicStats(topic.topic(), topic.partitions(), records, bytes));
        }
        topics.sort(Comparator.comparing(TopicStats::topic));
        previous = current;
        previousNanos = now;
        latest = new StatsSnapshot(clock.milliseconds(), topics);
        return latest;
    }

    /** The most recent sample (empty before the first). */
    public StatsSnapshot latest() {
        return latest;
    }

    public void addListener(Consumer<StatsSnapshot> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<StatsSnapshot> listener) {
        listeners.remove(listener);
    }
}
