package io.sluice.storage;

import io.sluice.common.TopicPartition;

/**
 * Told when new data became readable. Called on the appending thread after the batches are visible to readers
 * and after every log lock is released, so an implementation may read the log; it must be quick and not block.
 */
public interface LogListener {

    void onHighWatermarkAdvanced(TopicPartition tp, long highWatermark);
}
