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
     * A number that moves with every create, alter and delete of a topic, once the change is in place and before
     * anyone is told of it: topics read after reading a version are at least as new as that version, and a change
     * they may have missed moves it again.
     */
    long version();

    /** Names of all existing topics. */
    Set<String> topicNames();

    /** The partition count of {@code topic}, empty if it does not exist. */
    OptionalInt partitionCount(String topic);
}
