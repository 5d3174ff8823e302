package io.sluice.fetch;

import io.sluice.group.PositionReset;
import java.util.List;

/**
 * The answer to a {@link GroupReadRequest} in Kafka's record-batch format: per partition with records, the stored
 * batches handed out and the position they were read from. The answer owns the partitions' buffers (see
 * {@link FetchedBatches}): whoever holds it last sends them or calls {@link #release()}.
 *
 * @param generation the group generation the batches were planned in
 * @param partitions per partition with records, in the plan's rotating order; empty if none
 * @param resets positions the instance's {@code auto.offset.reset} moved during this read (see {@link GroupReadResult})
 */
public record GroupBatchesResult(int generation, List<PartitionBatches> partitions, List<PositionReset> resets) {

    public GroupBatchesResult {
        partitions = List.copyOf(partitions);
        resets = List.copyOf(resets);
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    /** Gives back every partition's buffer (an answer that is not sent); safe to call more than once. */
    public void release() {
        partitions.forEach(p -> p.batches().release());
    }

    /**
     * One partition's share of the answer.
     *
     * @param batches whole batches from the one holding {@code position}; the instance's position is now
     *     {@code batches.nextOffset()}
     * @param position the instance's position before this read: records below it (in the first batch) were handed
     *     out before and are not part of this answer
     */
    public record PartitionBatches(FetchedBatches batches, long position) {}
}
