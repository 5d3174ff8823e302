package io.sluice.group;

import java.util.OptionalInt;
import java.util.Set;

/**
 * Port: which topics exist and how many partitions each has. Implemented by the topic service at wiring time.
 * Implementations must be thread-safe. The coordinator asks for {@link #version()} on every read plan, and for the
 * topics only when it moved (to notice new partitions and newly matching topics).
 */
public interface TopicCatalog {

    /**
     * A number that moves on every create, alter and delete of a topic, before anyone is told of the change: while it
     * stays the same, so do {@link #topicNames()} and every {@link #partitionCount}.
     */
    long version();

    /** Names of all existing topics. */
    Set<String> topicNames();

    /** The partition count of {@code topic}, empty if it does not exist. */
    OptionalInt partitionCount(String topic);
}
