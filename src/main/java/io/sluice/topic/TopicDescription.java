package io.sluice.topic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic as answered by create and describe: partitions with offsets, and every config with its effective value.
 */
public record TopicDescription(
        String name,
        int replicationFactor,
        List<PartitionDescription> partitions,
        Map<String, String> configs,
        long createdAt) {

    public TopicDescription {
        partitions = List.copyOf(partitions);
        configs = Collections.unmodifiableMap(new LinkedHashMap<>(configs));
    }
}
