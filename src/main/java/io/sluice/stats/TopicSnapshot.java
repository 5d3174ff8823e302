package io.sluice.stats;

import java.util.List;

/** One topic's partitions at one moment, as read from the broker by the stats source. */
public record TopicSnapshot(String topic, List<PartitionSnapshot> partitions) {

    public TopicSnapshot {
        partitions = List.copyOf(partitions);
    }

    long endOffsetSum() {
        return partitions.stream().mapToLong(PartitionSnapshot::endOffset).sum();
    }

    long sizeSum() {
        return partitions.stream().mapToLong(PartitionSnapshot::sizeBytes).sum();
    }
}
