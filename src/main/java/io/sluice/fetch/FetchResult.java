package io.sluice.fetch;

/**
 * The answer to a read: the records in offset order, in place in the batches read ({@link StoredRecords}; maybe none),
 * and the partition's bounds when it was read.
 */
public record FetchResult(
        String topic, int partition, StoredRecords records, long logStartOffset, long highWatermark) {}
