package io.sluice.storage;

/** Whole batches read from a partition log, with the log's bounds at the time of the read. */
public record LogReadResult(long highWatermark, long logStartOffset, FileSlice records) {}
