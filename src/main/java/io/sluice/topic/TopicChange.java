package io.sluice.topic;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A requested change to a topic: a new (larger) partition count and/or config changes, where an empty value resets
 * the config to the broker default.
 */
public record TopicChange(OptionalInt partitions, Map<String, Optional<String>> configs) {

    public TopicChange {
        configs = Map.copyOf(configs);
    }
}
