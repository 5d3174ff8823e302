package io.sluice.stream;

import io.sluice.common.TopicPartition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What streams need from the broker, as a port so the stream logic is tested without files and the wiring chooses
 * the implementation. Methods marked cheap may run on any thread, including a network event loop; the others
 * block or complete asynchronously as stated.
 *
 * <p>Failures are {@link io.sluice.common.SluiceException}s (unknown topic or partition, storage errors).
 * Implementations are thread-safe.
 */
public interface LogAccess {

    /** Cheap. The topic's partition count; throws TOPIC_NOT_FOUND for an unknown topic. */
    int partitionCount(String topic);

    /** Cheap. The first offset still in the partition's log. */
    long logStartOffset(TopicPartition tp);

    /** Cheap. One past the last offset readers may see. */
    long highWatermark(TopicPartition tp);

    /**
     * Reads records at or after {@code offset} (at most {@code maxRecords}, roughly {@code maxBytes}) without waiting
     * for new ones, off the caller's thread. An offset below the log start reads from the log start.
     */
    CompletableFuture<List<StreamRecord>> read(TopicPartition tp, long offset, int maxRecords, int maxBytes);

    /** Blocking (index lookup). The first offset whose timestamp is at or after {@code timestamp}, else the end. */
    long offsetForTimestamp(TopicPartition tp, long timestamp);

    /**
     * Cheap. Completes once the high watermark is above {@code offset} (at once if it already is). Cancelling the
     * returned future releases whatever the wait holds.
     */
    CompletableFuture<Void> awaitAppend(TopicPartition tp, long offset);
}
