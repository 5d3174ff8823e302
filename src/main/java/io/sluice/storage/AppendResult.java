package io.sluice.storage;

/**
 * The outcome of {@link PartitionLog#appendAsLeader}: the offsets given to the appended records.
 *
 * @param logAppendTime the broker time stamped on the batches under LogAppendTime, -1 under CreateTime
 * @param duplicate true when the append was a retry recognised from producer state: nothing was written and
 *     the offsets are those of the original append
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime, int recordCount, boolean duplicate) {}
