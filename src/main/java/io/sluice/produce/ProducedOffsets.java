package io.sluice.produce;

import io.sluice.common.SluiceException;

/**
 * Where the records of one {@link ProduceRequest} were written, by the index they were added with: the partition and
 * offset of each, or the error of the batch it was in (only when the request was appended without stopping at a
 * failure). Computed from one entry per batch and two ints per record. Immutable once built; thread-safe to read.
 */
public final class ProducedOffsets {

    private final int count;
    private final int[] batchOf;
    private final int[] deltaOf;
    private final long[] firstOffsets;
    private final int[] partitionOf;
    private final SluiceException[] failures;

    ProducedOffsets(
            int count,
            int[] batchOf,
            int[] deltaOf,
            long[] firstOffsets,
            int[] partitionOf,
            SluiceException[] failures) {
        this.count = count;
        this.batchOf = batchOf;
        this.deltaOf = deltaOf;
        this.firstOffsets = firstOffsets;
        this.partitionOf = partitionOf;
        this.failures = failures;
    }

    public int count() {
        return count;
    }

    public int partition(int index) {
        return partitionOf[batchOf[checked(index)]];
    }

    public long offset(int index) {
        return firstOffsets[batchOf[checked(index)]] + deltaOf[index];
    }

    /** The error of the record's batch, or null if it was written. */
    public SluiceException failure(int index) {
        return failures == null ? null : failures[batchOf[checked(index)]];
    }

    private int checked(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
        return index;
    }
}
