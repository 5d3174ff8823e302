package io.sluice.group;

import io.sluice.common.TopicPartition;

/**
 * One entry of a {@link ReadPlan}: read {@code partition} from {@code offset}.
 *
 * @param logEndOffset the high watermark when the plan was made; {@code offset == logEndOffset} means nothing to read
 *     yet
 */
public record PartitionRead(TopicPartition partition, long offset, long logEndOffset) {

    /** Whether records existed at the position when the plan was made. */
    public boolean hasData() {
        return offset < logEndOffset;
    }
}
