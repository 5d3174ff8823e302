package io.sluice.metadata;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the registry knows about one topic: its name, partition count, the topic-level configs set explicitly (Kafka
 * names to string values; broker defaults are not stored) and when it was created (epoch millis).
 *
 * @param configs an unmodifiable, sorted copy
 */
public record TopicMetadata(String name, int partitions, Map<String, String> configs, long createdAt) {

    public TopicMetadata {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        configs = Collections.unmodifiableMap(new TreeMap<>(configs));
    }

    public TopicMetadata withPartitions(int newPartitions) {
        return new TopicMetadata(name, newPartitions, configs, createdAt);
    }

    public TopicMetadata withConfigs(Map<String, String> newConfigs) {
        return new TopicMetadata(name, partitions, newConfigs, createdAt);
    }
}
