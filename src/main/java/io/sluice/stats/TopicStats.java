package io.sluice.stats;

import java.util.List;

/** A topic's partitions plus its append rates over the last sampling interval. */
public record TopicStats(String topic, List<PartitionSnapshot> partitions, double recordsPerSec, double bytesPerSec) {

    public TopicStats {
        partitions = List.copyOf(partitions);
    }
}
