package io.sluice.fetch;

import java.util.List;

/** The answer to a read: records in offset order (maybe none) and the partition's bounds when it was read. */
public record FetchResult(
        String topic, int partition, List<FetchedRecord> records, long logStartOffset, long highWatermark) {

    public FetchResult {
        records = List.copyOf(records);
    }
}
