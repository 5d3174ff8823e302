package io.sluice.stats;

/** One partition's bounds and size at one moment. */
public record PartitionSnapshot(int partition, long beginningOffset, long endOffset, long sizeBytes) {}
