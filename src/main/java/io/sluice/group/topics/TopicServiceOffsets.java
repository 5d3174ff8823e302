package io.sluice.group.topics;

import io.sluice.common.TopicPartition;
import io.sluice.group.PartitionOffsets;
import io.sluice.storage.PartitionLog;
import io.sluice.storage.StorageException;
import io.sluice.topic.StorageErrors;
import io.sluice.topic.TopicService;
import java.util.OptionalLong;

/**
 * The group coordinator's view of a partition's bounds, read from its open log: log start, high watermark and the
 * time index. A missing topic or partition is the topic service's TOPIC_NOT_FOUND / PARTITION_NOT_FOUND error;
 * storage failures are translated like everywhere else. Thread-safe.
 */
public final class TopicServiceOffsets implements PartitionOffsets {

    private final TopicService topics;

    public TopicServiceOffsets(TopicService topics) {
        this.topics = topics;
    }

    @Override
    public long logStartOffset(TopicPartition tp) {
        return log(tp).logStartOffset();
    }

    @Override
    public long logEndOffset(TopicPartition tp) {
        return log(tp).highWatermark();
    }

    @Override
    public OptionalLong offsetForTimestamp(TopicPartition tp, long timestamp) {
        try {
            return log(tp).offsetForTimestamp(timestamp)
                    .map(found -> OptionalLong.of(found.offset()))
                    .orElse(OptionalLong.empty());
        } catch (StorageException e) {
            throw StorageErrors.translate(e, tp);
        }
    }

    private PartitionLog log(TopicPartition tp) {
        return topics.log(tp.topic(), tp.partition());
    }
}
