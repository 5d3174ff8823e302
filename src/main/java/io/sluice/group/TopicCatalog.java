package io.sluice.group;

import java.util.OptionalInt;
import java.util.Set;

/**
 * Port: which topics exist and how many partitions each has. Implemented by the topic service at wiring time.
 * Implementations must be thread-safe and cheap (the coordinator asks on every read plan to notice new partitions
 * and newly matching topics).
 */
public interface TopicCatalog {

    /** Names of all existing topics. */
    Set<String> topicNames();

    /** The partition count of {@code topic}, empty if it does not exist. */
    OptionalInt partitionCount(String topic);
}
