package io.sluice.stats;

import java.util.List;

/** Every topic's statistics at {@code time} (epoch millis), topics sorted by name. */
public record StatsSnapshot(long time, List<TopicStats> topics) {

    public StatsSnapshot {
        topics = List.copyOf(topics);
    }
}
