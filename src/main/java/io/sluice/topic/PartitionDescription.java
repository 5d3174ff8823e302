package io.sluice.topic;

/**
 * One partition as seen from outside: its offsets (beginning = first readable offset, end = next offset to be
 * written, i.e. the high watermark) and its size on disk.
 */
public record PartitionDescription(int partition, long beginningOffset, long endOffset, long sizeBytes) {}
