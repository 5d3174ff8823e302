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
 * <p>{@link #sample()} is called by a {@link StatsSampler}, which samples less often while nobody listens, so {@link
 * #latest()} may be that much older. Samples are pushed to listeners on the sampling thread; listeners must not
 * block. Thread-safe.
 */
public final class ThroughputStats {

    private static final Logger log = LoggerFactory.getLogger(ThroughputStats.class);

    private final Supplier<List<TopicSnapshot>> source;
    private final Clock clock;
    private final List<Consumer<StatsSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private Map<String, TopicSnapshot> previous = Map.of();
    private long previousNanos;
    private volatile StatsSnapshot latest = new StatsSnapshot(0, List.of());
    private volatile Runnable whenWatched = () -> {};

    public ThroughputStats(Supplier<List<TopicSnapshot>> source, Clock clock) {
        this.source = source;
        this.clock = clock;
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

    /** Registers a listener of every sample; the first one registered while none was runs {@link #whenWatched}. */
    public void addListener(Consumer<StatsSnapshot> listener) {
        boolean first;
        synchronized (listeners) {
            first = listeners.isEmpty();
            listeners.add(listener);
        }
        if (first) {
            whenWatched.run();
        }
    }

    /** Whether any listener is registered. */
    public boolean watched() {
        return !listeners.isEmpty();
    }

    /** What to do when a listener is registered while none was (the sampler brings its next sample forward). */
    void whenWatched(Runnable action) {
        whenWatched = action;
    }

    public void removeListener(Consumer<StatsSnapshot> listener) {
        listeners.remove(listener);
    }
}
