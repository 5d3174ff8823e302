package io.sluice.stream;

import io.sluice.record.Header;
import java.util.List;

/** One record delivered by a stream: where it sits in its topic and its content. Key/value are null when absent. */
public record StreamRecord(
        String topic, int partition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    public StreamRecord {
        headers = List.copyOf(headers);
    }

    /** Bytes this record occupies in memory once decoded: what flow control counts. */
    public long payloadBytes() {
        long size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }
}
