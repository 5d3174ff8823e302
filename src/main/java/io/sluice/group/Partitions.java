package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.common.TopicPartition;
import java.util.SortedSet;
import java.util.TreeSet;

/** Existence checks against the {@link TopicCatalog}, with the error codes the API reports. */
final class Partitions {

    private Partitions() {}

    /** @throws SluiceException TOPIC_NOT_FOUND or PARTITION_NOT_FOUND */
    static void requireExists(TopicCatalog topics, TopicPartition tp) {
        if (tp.partition() >= partitionCount(topics, tp.topic())) {
            throw new SluiceException(ErrorCode.PARTITION_NOT_FOUND, "partition " + tp + " not found");
        }
    }

    /** Every partition of {@code topic}. @throws SluiceException TOPIC_NOT_FOUND */
    static SortedSet<TopicPartition> of(TopicCatalog topics, String topic) {
        SortedSet<TopicPartition> result = new TreeSet<>();
        int count = partitionCount(topics, topic);
        for (int p = 0; p < count; p++) {
            result.add(new TopicPartition(topic, p));
        }
        return result;
    }

    private static int partitionCount(TopicCatalog topics, String topic) {
        return topics.partitionCount(topic)
                .orElseThrow(() -> new SluiceException(ErrorCode.TOPIC_NOT_FOUND, "topic " + topic + " not found"));
    }
}
