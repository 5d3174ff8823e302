package io.sluice.fetch;

import io.sluice.record.Header;
import io.sluice.record.TimestampType;
import java.util.List;

/** One record as read back and kept (a copy, see {@link StoredRecords#decode()}); key/value are null when absent. */
public record FetchedRecord(
        long offset, long timestamp, TimestampType timestampType, byte[] key, byte[] value, List<Header> headers) {

    public FetchedRecord {
        headers = List.copyOf(headers);
    }
}
