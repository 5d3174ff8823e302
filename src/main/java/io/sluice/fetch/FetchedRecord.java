package io.sluice.fetch;

import io.sluice.record.Header;
import io.sluice.record.TimestampType;
import java.util.List;

/** One record as read back; key/value are null when absent. */
public record FetchedRecord(
        long offset, long timestamp, TimestampType timestampType, byte[] key, byte[] value, List<Header> headers) {

    public FetchedRecord {
        headers = List.copyOf(headers);
    }

    long payloadBytes() {
        long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }
}
