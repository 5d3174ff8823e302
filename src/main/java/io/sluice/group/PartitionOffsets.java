package io.sluice.group;

import io.sluice.common.TopicPartition;
import java.util.OptionalLong;

/**
 * Port: the offset bounds of a partition's log, as readers see them. Implemented over the storage's
 * {@code PartitionLog} at wiring time. Thread-safe. A partition that does not exist is reported with
 * {@link io.sluice.common.ErrorCode#PARTITION_NOT_FOUND}.
 */
public interface PartitionOffsets {

    /** The first offset still stored (moves up when retention deletes segments). */
    long logStartOffset(TopicPartition tp);

    /** The offset after the last record readers may see (the high watermark). */
    long logEndOffset(TopicPartition tp);

    /** The first offset whose record timestamp is at least {@code timestamp}; empty if no such record. */
    OptionalLong offsetForTimestamp(TopicPartition tp, long timestamp);
}
